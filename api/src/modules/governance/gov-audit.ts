import { EntityManager } from 'typeorm';
import { sha256Hex } from '../../common/crypto';
import { GovAuditEntity, type JsonObject } from './governance.entity';

/** Any constant distinct from other advisory locks: appends to the chain happen one at a time. */
const CHAIN_LOCK = 0x60a_0d17;
export const GENESIS_HASH = '0'.repeat(64);

export interface GovAuditInput {
  proposalId?: number | null;
  bodyId?: number | null;
  actorId: number | null;
  action: string;
  data?: JsonObject;
}

/** JSON with object keys sorted at every level: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface ChainFields {
  proposalId: number | null;
  bodyId: number | null;
  actorId: number | null;
  action: string;
  data: JsonObject;
  createdAt: Date;
  prevHash: string;
}

export const entryHash = (e: ChainFields): string =>
  sha256Hex(
    canonicalJson({
      prev: e.prevHash,
      proposal: e.proposalId,
      body: e.bodyId,
      actor: e.actorId,
      action: e.action,
      data: e.data,
      at: e.createdAt.toISOString(),
    }),
  );

export async function appendGovAudit(m: EntityManager, input: GovAuditInput): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const [last] = await m.query<{ hash: string }[]>(`SELECT hash FROM gov_audit ORDER BY id DESC LIMIT 1`);
  const fields: ChainFields = {
    proposalId: input.proposalId ?? null,
    bodyId: input.bodyId ?? null,
    actorId: input.actorId,
    action: input.action,
    data: input.data ?? {},
    createdAt: new Date(),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await m.getRepository(GovAuditEntity).insert({ ...fields, hash: entryHash(fields) });
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  /** The first entry whose hash or link does not match, when not ok. */
  brokenAt: string | null;
}

/** Walks the whole chain in id order, a page at a time. */
export async function verifyGovAudit(m: EntityManager): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let after = '0';
  let entries = 0;
  for (;;) {
    const rows = await m
      .getRepository(GovAuditEntity)
      .createQueryBuilder('a')
      .where('a.id > :after', { after })
      .orderBy('a.id', 'ASC')
      .limit(1000)
      .getMany();
    if (!rows.length) return { ok: true, entries, brokenAt: null };
    for (const row of rows) {
      if (row.prevHash !== prev || entryHash(row) !== row.hash) return { ok: false, entries, brokenAt: row.id };
      prev = row.hash;
      entries++;
    }
    after = rows[rows.length - 1].id;
  }
}
