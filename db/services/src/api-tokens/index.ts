// A city's API tokens: created, listed and revoked by its admins; authenticated by the API.
export * from './api-tokens.ts';
