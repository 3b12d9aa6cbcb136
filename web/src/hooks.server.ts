import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { apiFor, SESSION_COOKIE } from '$lib/server/api';
import { isLang, LANG_COOKIE, LANGS, langFromAcceptLanguage, loadCatalogue } from '$lib/i18n';
import { compressed } from '$lib/server/compress';

/** Server code translates synchronously (form errors, feeds' titles): both catalogues, once. */
export const init: ServerInit = async () => {
  await Promise.all(LANGS.map((lang) => loadCatalogue(lang)));
};

export const handle: Handle = async ({ event, resolve }) => {
  // ?lang= (the hreflang alternates, shared links) beats the cookie for this one request.
  const langQuery = event.url.searchParams.get('lang');
  const langCookie = event.cookies.get(LANG_COOKIE);
  const explicitLang = isLang(langQuery) ? langQuery : isLang(langCookie) ? langCookie : null;
  event.locals.lang = explicitLang ?? langFromAcceptLanguage(event.request.headers.get('accept-language'));
  event.locals.user = null;
  event.locals.csrfToken = null;

  if (event.cookies.get(SESSION_COOKIE)) {
    try {
      const { data } = await apiFor(event).GET('/api/v1/auth/session');
      if (data) {
        event.locals.user = data.user ?? null;
        event.locals.csrfToken = data.csrfToken ?? null;
      }
    } catch (error) {
      // The API being down must not take the public pages with it: render them logged out.
      console.error('session lookup failed', error);
    }
    // A saved account preference beats the browser's guess, but not an explicit switch.
    if (!explicitLang && event.locals.user && isLang(event.locals.user.locale)) {
      event.locals.lang = event.locals.user.locale;
    }
  }

  const lang = event.locals.lang;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', lang),
  });
  return compressed(event.request, response);
};

export const handleError: HandleServerError = ({ error, status }) => {
  if (status !== 404) console.error(error);
  return { message: status === 404 ? 'Not Found' : 'Internal Error' };
};
