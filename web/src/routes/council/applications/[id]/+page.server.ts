import { error, fail } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad } from './$types';

const idOf = (raw: string): number => {
  if (!/^[1-9]\d{0,9}$/.test(raw)) error(404, { message: 'Not found' });
  return Number(raw);
};

export const load: PageServerLoad = async (event) => {
  requireUser(event.locals, event.url);
  const id = idOf(event.params.id);
  const res = await attempt(apiFor(event).GET('/api/v1/organisations/applications/{id}', { params: { path: { id } } }));
  if (!res.ok) {
    if (res.problem.status === 404) error(404, { message: 'Not found' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  return {
    app: res.data,
    descriptionHtml: renderMarkdown(res.data.description),
    statementHtml: res.data.nominationStatement ? renderMarkdown(res.data.nominationStatement) : null,
    sent: event.url.searchParams.get('sent') === '1',
  };
};

export const actions: Actions = {
  nominate: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const statement = field(form, 'statement');
    const result = await attempt(
      apiFor(event).POST('/api/v1/organisations/applications/{id}/nominate', {
        params: { path: { id } },
        body: statement ? { statement } : {},
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { statement, problem: result.problem });
    return { done: 'council.nominated' as const };
  },

  decline: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const reason = field(form, 'reason');
    const result = await attempt(
      apiFor(event).POST('/api/v1/organisations/applications/{id}/decline', {
        params: { path: { id } },
        body: { reason },
      }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { reason, problem: result.problem });
    return { done: 'council.declined' as const };
  },

  withdraw: async (event) => {
    requireUser(event.locals, event.url);
    const id = idOf(event.params.id);
    const result = await attempt(
      apiFor(event).POST('/api/v1/organisations/applications/{id}/withdraw', { params: { path: { id } } }),
    );
    if (!result.ok) return fail(failStatus(result.problem), { problem: result.problem });
    return { done: 'council.withdrawn' as const };
  },
};
