// Sign-in, sessions, passwords, throttling, invitations, resets, their nightly cleanup and the one authoriser.
export * from './policy.ts';
export * from './session.ts';
export * from './password.ts';
export * from './throttle.ts';
export * from './sign-in.ts';
export * from './account.ts';
export * from './password-reset.ts';
export * from './invitations.ts';
export * from './members.ts';
export * from './cleanup.ts';
export { normalizeEmail, isEmail } from './users.ts';
export { parseToken } from './tokens.ts';
