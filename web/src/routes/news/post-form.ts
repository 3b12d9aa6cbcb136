import { error, fail, redirect } from '@sveltejs/kit';
import { POST_SLUG } from '$lib/releases';
import { apiFor, attempt, failStatus } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';

/** News and pages are written by site admins only (the API checks again). */
export function requireAdmin(locals: App.Locals, url: URL): void {
  const user = requireUser(locals, url);
  if (!user.roles.includes('admin')) error(403, { message: 'Only admins write news and pages.' });
}

/** The post form's fields as the API wants them. */
export function postBody(form: FormData) {
  const text = (name: string) => field(form, name, { trim: false }).replace(/\r\n/g, '\n');
  return {
    titleEn: field(form, 'titleEn'),
    titleZh: field(form, 'titleZh'),
    summaryEn: field(form, 'summaryEn'),
    summaryZh: field(form, 'summaryZh'),
    bodyEn: text('bodyEn'),
    bodyZh: text('bodyZh'),
    status: field(form, 'published') === '1' ? ('published' as const) : ('draft' as const),
  };
}

/** What the edit page's load and action use of their event. */
interface EditEvent {
  params: { slug: string };
  url: URL;
  request: Request;
  locals: App.Locals;
  getClientAddress: () => string;
}

/**
 * The edit page of a news post or a plain page (admins only): load the post, save the form and go
 * to where `after` says, or show the API's refusal next to what was typed.
 */
export function postEditor(kind: 'news' | 'page', after: (slug: string, status: 'published' | 'draft') => string) {
  return {
    load: async (event: EditEvent) => {
      requireAdmin(event.locals, event.url);
      const slug = event.params.slug;
      if (!POST_SLUG.test(slug)) error(404, { message: 'Not Found' });
      const res = await attempt(
        apiFor(event).GET('/api/v1/admin/portal/posts/{kind}/{slug}', { params: { path: { kind, slug } } }),
      );
      if (!res.ok) error(res.problem.status === 404 ? 404 : 502, { message: res.problem.detail ?? 'API error' });
      return { post: res.data };
    },
    actions: {
      default: async (event: EditEvent) => {
        requireAdmin(event.locals, event.url);
        const body = postBody(await event.request.formData());
        const res = await attempt(
          apiFor(event).PATCH('/api/v1/admin/portal/posts/{kind}/{slug}', {
            params: { path: { kind, slug: event.params.slug } },
            body,
          }),
        );
        if (!res.ok) return fail(failStatus(res.problem), { problem: res.problem, values: body });
        redirect(303, after(event.params.slug, body.status));
      },
    },
  };
}
