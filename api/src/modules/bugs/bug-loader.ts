import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { preparedQuery } from '../../database/pool-queries';
import { UserEntity } from '../users/user.entity';

/** What a bug shows of the people it names. */
const PERSON_PROPERTIES = new Set(['id', 'username', 'email', 'displayName']);

/**
 * The people a page of bugs names (reporters, assignees, CC, flags), by primary key, with what a
 * bug shows of them: id, username, e-mail, display name (no password hash or other account data
 * in memory for a listing). Not TypeORM relations: a statement with LEFT JOINs to users let the
 * planner hash-join the whole users table to decorate a page of bugs (~15 ms of CPU per search at
 * 10k users).
 */
export async function usersById(ds: DataSource, ids: number[]): Promise<Map<number, UserEntity>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  // A plain statement, the rows made into entities here: a REST page names ~100 people, and
  // TypeORM's find built its query and hydrated them at ~4% of the API's CPU.
  const columns = ds.getMetadata(UserEntity).columns.filter((c) => PERSON_PROPERTIES.has(c.propertyName));
  const rows = await preparedQuery<Record<string, unknown>>(
    ds,
    `SELECT ${columns.map((c) => `u."${c.databaseName}"`).join(', ')} FROM users u WHERE u.id = ANY($1::int[])`,
    [wanted],
  );
  return new Map(
    rows.map((r) => {
      const u = entityFromRow(UserEntity, columns, r);
      return [u.id, u];
    }),
  );
}

/** An entity from a row read with plain SQL: each of `columns` present in the row, by its database name. */
export function entityFromRow<T extends object>(
  type: new () => T,
  columns: readonly ColumnMetadata[],
  row: Record<string, unknown>,
): T {
  const entity = new type();
  for (const c of columns)
    if (c.databaseName in row) (entity as Record<string, unknown>)[c.propertyName] = row[c.databaseName];
  return entity;
}

/**
 * The columns a list row shows, for a query whose bugs are aliased `b`: related names come from
 * scalar subqueries on primary keys (one index probe each per row), so a page of list rows can be
 * read in the same statement that finds the page — one round trip instead of six.
 */
export const LIST_ROW_COLUMNS = `b.id, b.summary, b.status, b.resolution, b.version, b.severity, b.priority, b.heat,
  b.affected_count, b.comment_count, b.is_private, b.keywords, b.created_at, b.updated_at,
  (SELECT p.name FROM bug_products p WHERE p.id = b.product_id) AS product_name,
  coalesce((SELECT pk.name FROM packages pk WHERE pk.id = b.package_id),
           (SELECT bc.name FROM bug_components bc WHERE bc.id = b.component_id), '') AS component_name,
  (SELECT json_build_object('slug', s.slug, 'nameZh', s.name_zh, 'nameEn', s.name_en) FROM sigs s WHERE s.id = b.sig_id) AS sig,
  (SELECT u.username FROM users u WHERE u.id = b.assignee_id) AS assignee_name,
  (SELECT u.username FROM users u WHERE u.id = b.reporter_id) AS reporter_name`;

export interface ListRow {
  id: number;
  summary: string;
  status: string;
  resolution: string | null;
  version: string;
  severity: string;
  priority: string;
  heat: number;
  affected_count: number;
  comment_count: number;
  is_private: boolean;
  keywords: string[];
  created_at: Date;
  updated_at: Date;
  product_name: string | null;
  component_name: string;
  sig: { slug: string; nameZh: string; nameEn: string } | null;
  assignee_name: string | null;
  reporter_name: string | null;
}

/** A list row (as read with LIST_ROW_COLUMNS) as the view bugListItem makes from an entity. */
export const listItemFromRow = (r: ListRow) => ({
  id: r.id,
  summary: r.summary,
  status: r.status,
  resolution: r.resolution,
  product: r.product_name ?? '',
  component: r.component_name,
  version: r.version,
  sig: r.sig,
  severity: r.severity,
  priority: r.priority,
  assignee: r.assignee_name,
  reporter: r.reporter_name ?? '',
  heat: r.heat,
  affectedCount: r.affected_count,
  commentCount: r.comment_count,
  isPrivate: r.is_private,
  keywords: r.keywords,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** List rows for these ids, in the given order, in one statement. */
export async function loadListItems(m: EntityManager, ids: number[]) {
  if (!ids.length) return [];
  const rows: ListRow[] = await m.query(`SELECT ${LIST_ROW_COLUMNS} FROM bugs b WHERE b.id = ANY($1::int[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.filter((id) => byId.has(id)).map((id) => listItemFromRow(byId.get(id)!));
}
