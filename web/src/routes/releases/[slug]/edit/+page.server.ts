import { error, fail, redirect } from '@sveltejs/kit';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import { RELEASE_SLUG } from '$lib/releases';
import type { Actions, PageServerLoad } from './$types';

function requireAdmin(locals: App.Locals, url: URL): void {
  const user = requireUser(locals, url);
  if (!user.roles.includes('admin')) error(403, { message: 'Only admins edit release pages.' });
}

export const load: PageServerLoad = async (event) => {
  requireAdmin(event.locals, event.url);
  const slug = event.params.slug;
  if (!RELEASE_SLUG.test(slug)) error(404, { message: 'Not Found' });
  const res = await attempt(apiFor(event).GET('/api/v1/admin/portal/releases/{slug}', { params: { path: { slug } } }));
  if (!res.ok) error(res.problem.status === 404 ? 404 : 502, { message: res.problem.detail ?? 'API error' });
  return { release: res.data, saved: event.url.searchParams.has('saved') };
};

const dateOrNull = (v: string): string | null => (v === '' ? null : v);

export const actions: Actions = {
  default: async (event) => {
    requireAdmin(event.locals, event.url);
    const form = await event.request.formData();
    const text = (name: string) => field(form, name, { trim: false }).replace(/\r\n/g, '\n');
    const body = {
      kernel: field(form, 'kernel'),
      taglineEn: field(form, 'taglineEn'),
      taglineZh: field(form, 'taglineZh'),
      highlightsEn: text('highlightsEn'),
      highlightsZh: text('highlightsZh'),
      changelog: text('changelog'),
      knownIssuesQuery: field(form, 'knownIssuesQuery'),
      releasedOn: dateOrNull(field(form, 'releasedOn')),
      fullSupportUntil: dateOrNull(field(form, 'fullSupportUntil')),
      eolOn: dateOrNull(field(form, 'eolOn')),
    };
    const res = await attempt(
      apiFor(event).PATCH('/api/v1/admin/portal/releases/{slug}', {
        params: { path: { slug: event.params.slug } },
        body,
      }),
    );
    if (!res.ok) return fail(failStatus(res.problem), { problem: res.problem, values: body });
    redirect(303, `/releases/${event.params.slug}/edit?saved`);
  },
};
