import { fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { email: field(form, 'email') };
    const result = await attempt(apiFor(event).POST('/api/v1/auth/password/forgot', { body: values }));
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    return { sent: values.email };
  },
};
