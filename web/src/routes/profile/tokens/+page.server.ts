import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus, localProblem } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { translator } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const tokens = await attempt(apiFor(event).GET('/api/v1/me/tokens'));
  if (!tokens.ok) error(tokens.problem.status === 0 ? 503 : 502, { message: tokens.problem.detail ?? 'API error' });
  return { tokens: tokens.data };
};

export const actions: Actions = {
  create: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const values = { name: field(form, 'name'), expiresInDays: field(form, 'expiresInDays') };
    const days = values.expiresInDays === '' ? undefined : Number(values.expiresInDays);
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
      return fail(400, {
        form: 'create',
        values,
        problem: localProblem(400, null, {
          expiresInDays: translator(event.locals.lang)('field.expiresInDaysInvalid'),
        }),
      });
    }
    const result = await attempt(
      apiFor(event).POST('/api/v1/me/tokens', {
        body: { name: values.name, ...(days === undefined ? {} : { expiresInDays: days }) },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'create', values, problem: result.problem });
    // Returned once, as action data: it is never stored here and never shown again.
    return { form: 'create', created: { name: result.data.name, token: result.data.token } };
  },

  revoke: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const id = Number(field(form, 'id'));
    if (!Number.isInteger(id) || id < 1) {
      return fail(400, { form: 'revoke', problem: localProblem(400, 'not_found') });
    }
    const result = await attempt(apiFor(event).DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'revoke', problem: result.problem });
    return { form: 'revoke', revoked: true };
  },
};
