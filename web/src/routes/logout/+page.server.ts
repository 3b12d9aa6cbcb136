import { redirect } from '@sveltejs/kit';
import { apiFor, attempt, clearSessionCookie, SESSION_COOKIE } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async (event) => {
    if (event.cookies.get(SESSION_COOKIE)) {
      // Even if the API cannot be told, the browser forgets the session below.
      await attempt(apiFor(event).POST('/api/v1/auth/logout'));
    }
    clearSessionCookie(event.cookies);
    redirect(303, '/');
  },
};
