import { fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { postBody, requireAdmin } from '../post-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
  requireAdmin(event.locals, event.url);
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    requireAdmin(event.locals, event.url);
    const form = await event.request.formData();
    const body = { ...postBody(form), kind: 'news' as const, slug: field(form, 'slug').toLowerCase() };
    const res = await attempt(apiFor(event).POST('/api/v1/admin/portal/posts', { body }));
    if (!res.ok) return fail(failStatus(res.problem), { problem: res.problem, values: body });
    redirect(303, body.status === 'published' ? `/news/${body.slug}` : '/news');
  },
};
