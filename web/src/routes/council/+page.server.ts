import { apiFor, attempt } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const [members, me] = await Promise.all([
    attempt(api.GET('/api/v1/organisations')),
    event.locals.user ? attempt(api.GET('/api/v1/organisations/me')) : Promise.resolve(null),
  ]);
  return {
    members: members.ok ? members.data.items : null,
    viewer: me?.ok ? me.data : null,
  };
};
