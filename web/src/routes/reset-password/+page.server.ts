import { fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
  return { token: url.searchParams.get('token') ?? '' };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const token = field(form, 'token');
    const password = field(form, 'password', { trim: false });
    const result = await attempt(apiFor(event).POST('/api/v1/auth/password/reset', { body: { token, password } }));
    if (!result.ok) return fail(failStatus(result.problem), { problem: result.problem });
    return { done: true };
  },
};
