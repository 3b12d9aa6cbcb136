import { redirect, type RequestHandler } from '@sveltejs/kit';
import { apiFor, secureCookies } from '$lib/server/api';
import { isLang, LANG_COOKIE } from '$lib/i18n';
import { safeNext } from '$lib/server/redirects';

const ONE_YEAR = 60 * 60 * 24 * 365;

/** The header's language switch: a plain form POST, so it works without JavaScript. */
export const POST: RequestHandler = async (event) => {
  const form = await event.request.formData();
  const lang = form.get('lang');
  if (isLang(lang)) {
    event.cookies.set(LANG_COOKIE, lang, {
      path: '/',
      maxAge: ONE_YEAR,
      httpOnly: false,
      sameSite: 'lax',
      secure: secureCookies(),
    });
    if (event.locals.user && event.locals.user.locale !== lang) {
      try {
        await apiFor(event).PATCH('/api/v1/me', { body: { locale: lang } });
      } catch (error) {
        // The cookie already carries the choice; the saved preference can catch up next time.
        console.error('saving the locale failed', error);
      }
    }
  }
  const next = form.get('next');
  const referer = event.request.headers.get('referer');
  redirect(303, safeNext(typeof next === 'string' ? next : null, event.url) ?? safeNext(referer, event.url) ?? '/');
};
