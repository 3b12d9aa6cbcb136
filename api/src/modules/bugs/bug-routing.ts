import type { EntityManager } from 'typeorm';
import { BugHistoryEntity } from './bug.entity';

/**
 * Called when a package changes hands: its open bugs follow it to the new SIG's triage queue, with
 * a history entry each; closed bugs keep the SIG that handled them.
 */
export async function rerouteOpenBugs(
  m: EntityManager,
  packageId: number,
  toSigId: number,
  actorId: number | null,
): Promise<number> {
  const rows: { id: number; from_slug: string | null; to_slug: string }[] = await m.query(
    `WITH moved AS (
       SELECT b.id, b.sig_id AS old_sig FROM bugs b
        WHERE b.package_id = $1 AND b.status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')
          AND b.sig_id IS DISTINCT FROM $2
        FOR UPDATE),
     upd AS (UPDATE bugs b SET sig_id = $2, updated_at = now() FROM moved WHERE b.id = moved.id RETURNING b.id)
     SELECT upd.id, fs.slug AS from_slug, ts.slug AS to_slug
       FROM upd JOIN moved ON moved.id = upd.id LEFT JOIN sigs fs ON fs.id = moved.old_sig JOIN sigs ts ON ts.id = $2`,
    [packageId, toSigId],
  );
  if (rows.length)
    await m
      .getRepository(BugHistoryEntity)
      .insert(rows.map((r) => ({ bugId: r.id, actorId, field: 'sig', removed: r.from_slug ?? '', added: r.to_slug })));
  return rows.length;
}
