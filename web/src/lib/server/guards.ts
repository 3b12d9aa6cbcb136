import { redirect } from '@sveltejs/kit';
import type { Me } from '$lib/api/types';

/** Sends a visitor who is not logged in to the login page, coming back here afterwards. */
export function requireUser(locals: App.Locals, url: URL): Me {
  // An action URL (?/name) is not a page to come back to; its page is.
  const search = url.search.startsWith('?/') ? '' : url.search;
  if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + search)}`);
  return locals.user;
}
