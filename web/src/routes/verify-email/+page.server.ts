import { fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import type { Actions, PageServerLoad } from './$types';

type Outcome = 'verified' | 'failed' | 'missing';

export const load: PageServerLoad = async (event) => {
  const token = event.url.searchParams.get('token');
  if (!token) return { outcome: 'missing' as Outcome, problem: null };
  const result = await attempt(apiFor(event).POST('/api/v1/auth/verify-email', { body: { token } }));
  if (result.ok) return { outcome: 'verified' as Outcome, problem: null };
  return { outcome: 'failed' as Outcome, problem: result.problem };
};

export const actions: Actions = {
  resend: async (event) => {
    const form = await event.request.formData();
    const values = { email: field(form, 'email') };
    const result = await attempt(apiFor(event).POST('/api/v1/auth/resend-verification', { body: values }));
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    return { resent: values.email };
  },
};
