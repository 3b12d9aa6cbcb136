import { fail, redirect } from '@sveltejs/kit';
import {
  apiFor,
  attempt,
  failStatus,
  localProblem,
  problemFromQuery,
  sessionFromSetCookie,
  setSessionCookie,
} from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { safeNext } from '$lib/server/redirects';
import type { Actions, PageServerLoad } from './$types';

function destination(url: URL): string {
  return safeNext(url.searchParams.get('next'), url) ?? '/profile';
}

export const load: PageServerLoad = async (event) => {
  if (event.locals.user) redirect(303, destination(event.url));
  const providers = await attempt(apiFor(event).GET('/api/v1/auth/providers'));
  return { gitee: providers.ok && providers.data.gitee === true, redirectProblem: problemFromQuery(event.url) };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { login: field(form, 'login') };
    const password = field(form, 'password', { trim: false });
    const result = await attempt(apiFor(event).POST('/api/v1/auth/login', { body: { ...values, password } }));
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });

    // The API set its cookie on a response only we saw; hand it on to the browser.
    const session = sessionFromSetCookie(result.response);
    if (!session) {
      console.error('login succeeded but the API sent no och_session cookie');
      return fail(502, { values, problem: localProblem(502, null) });
    }
    setSessionCookie(event.cookies, session);
    redirect(303, destination(event.url));
  },
};
