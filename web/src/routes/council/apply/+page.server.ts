import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  requireUser(event.locals, event.url);
};

export const actions: Actions = {
  default: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = {
      name: field(form, 'name'),
      website: field(form, 'website'),
      description: field(form, 'description'),
      contactName: field(form, 'contactName'),
      contactEmail: field(form, 'contactEmail'),
      contactPhone: field(form, 'contactPhone'),
    };
    const { contactPhone, ...rest } = values;
    const result = await attempt(
      apiFor(event).POST('/api/v1/organisations/applications', {
        body: { ...rest, ...(contactPhone ? { contactPhone } : {}) },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, `/council/applications/${result.data.id}?sent=1`);
  },
};
