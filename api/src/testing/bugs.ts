import { DataSource } from 'typeorm';
import { seedBugProducts } from '../database/seeds/bugs.seed';
import type { Login } from './factories';
import { as } from './sigs';

/** The demo products, versions and general components (idempotent). */
export async function makeBugProducts(ds: DataSource): Promise<void> {
  await ds.transaction((m) => seedBugProducts(m));
}

export interface BugInput {
  product?: string;
  component: string;
  version?: string;
  summary?: string;
  description?: string;
  [key: string]: unknown;
}

/** Files a bug over HTTP as `who` and returns its id. */
export async function fileBug(baseUrl: string, who: Login, input: BugInput): Promise<number> {
  const res = await as(baseUrl, who, 'post', '/api/v1/bugs', {
    product: 'OpenCloudOS',
    version: '9.2',
    summary: `A bug ${Math.random().toString(36).slice(2, 8)}`,
    description: 'Steps to reproduce: boot.',
    ...input,
  });
  if (res.status !== 201) throw new Error(`fileBug: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { id: number }).id;
}

/** Mails queued in the outbox for one address (they are sent by the workers, never inline). */
export async function queuedMails(
  ds: DataSource,
  to: string,
): Promise<{ subject: string; text: string; headers?: Record<string, string> }[]> {
  const rows = await ds.query<
    { payload: { to: string; subject: string; text: string; headers?: Record<string, string> } }[]
  >(`SELECT payload FROM outbox WHERE job_name = 'mail.send' AND payload->>'to' = $1 ORDER BY id`, [to]);
  return rows.map((r) => r.payload);
}
