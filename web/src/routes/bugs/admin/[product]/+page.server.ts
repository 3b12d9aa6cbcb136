import { error, fail, redirect } from '@sveltejs/kit';
import type { SigSummary } from '$lib/api/types';
import { apiFor, attempt, failStatus, localProblem, type ApiClient } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { componentValues, missingName, productValues, requireAdmin } from '../product-form';
import type { Actions, PageServerLoad } from './$types';

/** Pages of active SIGs read for the routing choice; OpenCloudOS has a few dozen. */
const SIG_PAGES = 5;

async function activeSigs(api: ApiClient): Promise<SigSummary[]> {
  const sigs: SigSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < SIG_PAGES; page++) {
    const res = await attempt(
      api.GET('/api/v1/sigs', { params: { query: { status: 'active', limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    if (!res.ok) break; // the select then offers the current SIGs only; saving still works
    sigs.push(...res.data.items);
    if (!res.data.nextCursor) break;
    cursor = res.data.nextCursor;
  }
  return sigs;
}

export const load: PageServerLoad = async (event) => {
  requireAdmin(event.locals, event.url);
  const api = apiFor(event);
  const [product, sigs] = await Promise.all([
    attempt(api.GET('/api/v1/admin/bug-products/{name}', { params: { path: { name: event.params.product } } })),
    activeSigs(api),
  ]);
  if (!product.ok) {
    const status = product.problem.status;
    error(status === 404 ? 404 : status === 0 ? 503 : 502, { message: product.problem.detail ?? 'API error' });
  }
  const params = event.url.searchParams;
  return {
    product: product.data,
    sigs: sigs.map(({ slug, nameZh, nameEn }) => ({ slug, nameZh, nameEn })),
    notice: params.has('created') ? ('created' as const) : params.has('saved') ? ('saved' as const) : null,
  };
};

const path = (event: { params: { product: string } }) => ({ params: { path: { name: event.params.product } } });

export const actions: Actions = {
  product: async (event) => {
    requireAdmin(event.locals, event.url);
    const values = productValues(await event.request.formData());
    const missing = missingName(values.name);
    if (missing) return fail(400, { form: 'product', values, problem: missing });
    const result = await attempt(apiFor(event).PATCH('/api/v1/bug-products/{name}', { ...path(event), body: values }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'product', values, problem: result.problem });
    // a rename moves the page
    redirect(303, `/bugs/admin/${encodeURIComponent(result.data.name)}?saved`);
  },

  addVersion: async (event) => {
    requireAdmin(event.locals, event.url);
    const values = { name: field(await event.request.formData(), 'name') };
    const missing = missingName(values.name);
    if (missing) return fail(400, { form: 'addVersion', values, problem: missing });
    const result = await attempt(
      apiFor(event).POST('/api/v1/bug-products/{name}/versions', { ...path(event), body: values }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'addVersion', values, problem: result.problem });
    return { form: 'versions', done: 'bugadmin.version.added' as const, name: values.name };
  },

  setVersion: async (event) => {
    requireAdmin(event.locals, event.url);
    const form = await event.request.formData();
    const name = field(form, 'name');
    const isActive = field(form, 'isActive') === 'true';
    if (name === '') return fail(400, { form: 'versions', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).PUT('/api/v1/bug-products/{name}/versions', { ...path(event), body: { name, isActive } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'versions', problem: result.problem });
    return {
      form: 'versions',
      done: isActive ? ('bugadmin.version.reactivated' as const) : ('bugadmin.version.deactivated' as const),
      name,
    };
  },

  addComponent: async (event) => {
    requireAdmin(event.locals, event.url);
    const values = componentValues(await event.request.formData());
    const missing = missingName(values.name);
    if (missing) return fail(400, { form: 'addComponent', values, problem: missing });
    const result = await attempt(
      apiFor(event).POST('/api/v1/bug-products/{name}/components', {
        ...path(event),
        body: {
          name: values.name,
          description: values.description,
          ...(values.sig ? { sig: values.sig } : {}),
          ...(values.defaultAssignee ? { defaultAssignee: values.defaultAssignee } : {}),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'addComponent', values, problem: result.problem });
    return { form: 'components', done: 'bugadmin.component.added' as const, name: values.name };
  },

  editComponent: async (event) => {
    requireAdmin(event.locals, event.url);
    const values = componentValues(await event.request.formData());
    if (values.name === '') return fail(400, { form: 'components', problem: localProblem(400, 'not_found') });
    const result = await attempt(
      apiFor(event).PUT('/api/v1/bug-products/{name}/components', {
        ...path(event),
        body: {
          name: values.name,
          description: values.description,
          sig: values.sig || null,
          defaultAssignee: values.defaultAssignee || null,
          isActive: values.isActive,
          ...(values.rename && values.rename !== values.name ? { rename: values.rename } : {}),
        },
      }),
    );
    // the form of that one component comes back open, with what was typed into it
    if (!result.ok)
      return fail(failStatus(result.problem), { form: `component:${values.name}`, values, problem: result.problem });
    return { form: 'components', done: 'bugadmin.component.saved' as const, name: values.rename || values.name };
  },
};
