import { overwriteGetLocale, isLocale, baseLocale } from '$lib/paraglide/runtime';

// The server chose the language (?lang=, then the `lang` cookie, which is HttpOnly) and wrote it
// into <html lang>. The client takes it from there, so hydration renders what the server did;
// switching language is a full page load (the header's form), never a client-side change.
overwriteGetLocale(() => {
	const lang = document.documentElement.lang;
	return isLocale(lang) ? lang : baseLocale;
});
