import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { POST_SLUG } from '$lib/releases';
import { postBody, requireAdmin } from '../../../news/post-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireAdmin(event.locals, event.url);
  const slug = event.params.slug;
  if (!POST_SLUG.test(slug)) error(404, { message: 'Not Found' });
  const res = await attempt(
    apiFor(event).GET('/api/v1/admin/portal/posts/{kind}/{slug}', { params: { path: { kind: 'page', slug } } }),
  );
  if (!res.ok) error(res.problem.status === 404 ? 404 : 502, { message: res.problem.detail ?? 'API error' });
  return { post: res.data };
};

export const actions: Actions = {
  default: async (event) => {
    requireAdmin(event.locals, event.url);
    const body = postBody(await event.request.formData());
    const res = await attempt(
      apiFor(event).PATCH('/api/v1/admin/portal/posts/{kind}/{slug}', {
        params: { path: { kind: 'page', slug: event.params.slug } },
        body,
      }),
    );
    if (!res.ok) return fail(failStatus(res.problem), { problem: res.problem, values: body });
    redirect(303, `/pages/${event.params.slug}`);
  },
};
