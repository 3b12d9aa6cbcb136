import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { safeNext } from '$lib/server/redirects';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  // where the newcomer was going (the join path sends ?next=/join): kept for the login after verifying
  const next = safeNext(url.searchParams.get('next'), url);
  if (locals.user) redirect(303, next ?? '/profile');
  return { loginQuery: next ? `?next=${encodeURIComponent(next)}` : '' };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { email: field(form, 'email'), username: field(form, 'username') };
    const password = field(form, 'password', { trim: false });
    const result = await attempt(
      apiFor(event).POST('/api/v1/auth/register', { body: { ...values, password, locale: event.locals.lang } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    return { registered: { email: result.data.email } };
  },
};
