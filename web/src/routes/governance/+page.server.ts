import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import type { GovBodySummary, GovMember, ProposalSummary } from '$lib/governance';
import type { PageServerLoad } from './$types';

const RECENT_DECISIONS = 10;

export const load: PageServerLoad = async (event) => {
  const api = apiFor(event);
  const list = (status: 'discussion' | 'voting' | 'closed', limit: number) =>
    attempt(api.GET('/api/v1/governance/proposals', { params: { query: { status, limit } } }));
  const [bodies, voting, discussion, closed] = await Promise.all([
    attempt(api.GET('/api/v1/governance/bodies')),
    list('voting', 50),
    list('discussion', 50),
    list('closed', RECENT_DECISIONS),
  ]);
  if (!bodies.ok) error(bodies.problem.status === 0 ? 503 : 502, { message: bodies.problem.detail ?? 'API error' });
  // The list has no members; each body's page has them (a handful of bodies, fetched side by side).
  const details = await Promise.all(
    bodies.data.items.map((body) =>
      attempt(api.GET('/api/v1/governance/bodies/{slug}', { params: { path: { slug: body.slug } } })),
    ),
  );
  const withMembers: (GovBodySummary & { members: GovMember[] })[] = bodies.data.items.map((body, i) => {
    const detail = details[i];
    return { ...body, members: detail?.ok ? detail.data.members : [] };
  });
  const items = (r: Awaited<ReturnType<typeof list>>): ProposalSummary[] => (r.ok ? r.data.items : []);
  return {
    bodies: withMembers,
    open: [...items(voting), ...items(discussion)],
    decisions: items(closed),
    // a failed list is said so rather than shown as "nothing here"
    partial: !voting.ok || !discussion.ok || !closed.ok,
  };
};
