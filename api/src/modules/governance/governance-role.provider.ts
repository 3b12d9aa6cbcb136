import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RoleProvider } from '../users/role-providers';
import { CURRENT_TERM } from './gov-access';

/** `body:<slug>:member` while a term runs, plus `body:<slug>:<office>` for officers. */
@Injectable()
export class GovernanceRoleProvider implements RoleProvider {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rolesFor(userId: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ slug: string; office: string | null }[]>(
      `SELECT b.slug, bm.office FROM gov_body_members bm JOIN gov_bodies b ON b.id = bm.body_id
       WHERE bm.user_id = $1 AND ${CURRENT_TERM}`,
      [userId],
    );
    return rows.flatMap((r) => [`body:${r.slug}:member`, ...(r.office ? [`body:${r.slug}:${r.office}`] : [])]);
  }

  async holdersOf(role: string): Promise<number[] | undefined> {
    const parts = /^body:([^:]+):([^:]+)$/.exec(role);
    if (!parts) return undefined;
    const rows = await this.dataSource.query<{ user_id: number }[]>(
      `SELECT DISTINCT bm.user_id FROM gov_body_members bm JOIN gov_bodies b ON b.id = bm.body_id
       WHERE b.slug = $1 AND ${CURRENT_TERM} AND ($2 = 'member' OR bm.office = $2)`,
      [parts[1], parts[2]],
    );
    return rows.map((r) => r.user_id);
  }
}
