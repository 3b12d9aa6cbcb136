import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { requireUser } from '$lib/server/guards';
import { STATUSES, type ApplicationStatus } from '$lib/programme';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event.locals, event.url);
  const raw = event.url.searchParams.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as ApplicationStatus) : undefined;
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const res = await attempt(
    apiFor(event).GET('/api/v1/programme/applications', { params: { query: { status, cursor, limit: 50 } } }),
  );
  if (!res.ok) {
    if (res.problem.status === 403) error(403, { message: 'Forbidden' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  return { page: res.data, status: status ?? '', admin: user.roles.includes('admin') };
};
