import { error } from '@sveltejs/kit';
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
