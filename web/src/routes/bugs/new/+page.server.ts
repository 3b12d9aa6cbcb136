import { error, fail, redirect } from '@sveltejs/kit';
import { isBugSeverity } from '$lib/bugs';
import { apiFor, attempt, failStatus, localProblem, type ApiClient } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** Packages offered in the component list before anything is typed (the type-ahead finds the rest). */
const FIRST_PACKAGES = 100;

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const api = apiFor(event);
  const [products, packages] = await Promise.all([
    attempt(api.GET('/api/v1/bug-products')),
    attempt(api.GET('/api/v1/packages', { params: { query: { limit: FIRST_PACKAGES } } })),
  ]);
  if (!products.ok)
    error(products.problem.status === 0 ? 503 : 502, { message: products.problem.detail ?? 'API error' });
  const active = products.data.filter((product) => product.isActive);
  const product = active.find((candidate) => candidate.name === event.url.searchParams.get('product')) ?? null;
  return {
    products: active,
    product,
    packages: product?.packageComponents && packages.ok ? packages.data.items.map((pkg) => pkg.name) : [],
  };
};

interface BugForm {
  product: string;
  component: string;
  summary: string;
  version: string;
  severity: string;
  description: string;
  security: boolean;
}

function valuesOf(form: FormData): BugForm {
  return {
    product: field(form, 'product'),
    component: field(form, 'component'),
    summary: field(form, 'summary'),
    version: field(form, 'version'),
    severity: field(form, 'severity'),
    description: field(form, 'description', { trim: false }),
    security: form.get('security') === 'on',
  };
}

async function duplicatesOf(api: ApiClient, values: BugForm) {
  if (values.summary.length < 3) return [];
  const result = await attempt(
    api.GET('/api/v1/bugs/duplicates', { params: { query: { product: values.product, summary: values.summary } } }),
  );
  return result.ok ? result.data : [];
}

export const actions: Actions = {
  /** The no-JavaScript way to see duplicate hints: the same form comes back with them. */
  check: async (event) => {
    requireUser(event.locals, event.url);
    const values = valuesOf(await event.request.formData());
    const duplicates = await duplicatesOf(apiFor(event), values);
    return { form: 'check', values, duplicates, checked: true };
  },

  file: async (event) => {
    requireUser(event.locals, event.url);
    const values = valuesOf(await event.request.formData());
    const required = (['component', 'summary', 'version', 'description'] as const).filter(
      (name) => values[name].trim() === '',
    );
    if (required.length > 0)
      return fail(400, {
        form: 'file',
        values,
        problem: localProblem(400, null, Object.fromEntries(required.map((name) => [name, 'required']))),
      });
    const result = await attempt(
      apiFor(event).POST('/api/v1/bugs', {
        body: {
          product: values.product,
          component: values.component,
          summary: values.summary,
          version: values.version,
          description: values.description,
          ...(isBugSeverity(values.severity) ? { severity: values.severity } : {}),
          ...(values.security ? { isPrivate: true } : {}),
        },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { form: 'file', values, problem: result.problem });
    redirect(303, `/bugs/${result.data.id}`);
  },
};
