import type { DataSource } from 'typeorm';
import { GovBodyEntity, GovBodyMemberEntity, type Office } from '../modules/governance/governance.entity';
import type { Login } from './factories';
import { as } from './sigs';

/** Seats users in a body straight in the database (a term running from an hour ago for a year). */
export async function seat(
  ds: DataSource,
  body: string,
  members: Array<[number, Office | null]>,
  term: { start?: Date; end?: Date } = {},
): Promise<void> {
  const b = await ds.getRepository(GovBodyEntity).findOneByOrFail({ slug: body });
  const start = term.start ?? new Date(Date.now() - 3600_000);
  const end = term.end ?? new Date(Date.now() + 365 * 24 * 3600_000);
  await ds
    .getRepository(GovBodyMemberEntity)
    .insert(members.map(([userId, office]) => ({ bodyId: b.id, userId, office, termStart: start, termEnd: end })));
}

/** Creates a proposal over the API and returns its id. */
export async function propose(baseUrl: string, who: Login, body: object): Promise<number> {
  const res = await as(baseUrl, who, 'post', '/api/v1/governance/proposals', body);
  if (res.status !== 201) throw new Error(`propose: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: number }).id;
}

/** Opens a proposal's vote now (as an officer). */
export async function openVote(baseUrl: string, officer: Login, id: number, hours = 72): Promise<void> {
  const res = await as(baseUrl, officer, 'post', `/api/v1/governance/proposals/${id}/open`, { hours });
  if (res.status !== 200) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
}
