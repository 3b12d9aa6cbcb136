import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const username = event.params.username;
  if (!/^[a-z][a-z0-9_-]{2,31}$/.test(username)) error(404, { message: 'Not found' });
  const res = await attempt(apiFor(event).GET('/api/v1/people/{username}', { params: { path: { username } } }));
  if (!res.ok) {
    if (res.problem.status === 404) error(404, { message: 'Not found' });
    error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  }
  return { person: res.data };
};
