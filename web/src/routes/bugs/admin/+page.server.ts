import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';
import { missingName, productValues, requireAdmin } from './product-form';

export const load: PageServerLoad = async (event) => {
  requireAdmin(event.locals, event.url);
  const products = await attempt(apiFor(event).GET('/api/v1/admin/bug-products'));
  if (!products.ok)
    error(products.problem.status === 0 ? 503 : 502, { message: products.problem.detail ?? 'API error' });
  return { products: products.data };
};

export const actions: Actions = {
  create: async (event) => {
    requireAdmin(event.locals, event.url);
    const values = productValues(await event.request.formData());
    const missing = missingName(values.name);
    if (missing) return fail(400, { values, problem: missing });
    const result = await attempt(apiFor(event).POST('/api/v1/bug-products', { body: values }));
    if (!result.ok) return fail(failStatus(result.problem), { values, problem: result.problem });
    redirect(303, `/bugs/admin/${encodeURIComponent(result.data.name)}?created`);
  },
};
