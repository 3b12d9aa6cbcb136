import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RoleProvider } from '../users/role-providers';
import { impliedRoles } from './sig-access';
import { SIG_ROLE_RANK, type SigRole } from './sig-membership.entity';

/** Contributes `sig:<slug>:<role>` (and the roles below it) for every live membership. */
@Injectable()
export class SigRoleProvider implements RoleProvider {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rolesFor(userId: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ slug: string; role: SigRole }[]>(
      `SELECT s.slug, m.role FROM sig_memberships m JOIN sigs s ON s.id = m.sig_id
        WHERE m.user_id = $1 AND (m.expires_at IS NULL OR m.expires_at > now()) AND s.status <> 'archived'`,
      [userId],
    );
    return rows.flatMap((r) => impliedRoles(r.slug, r.role));
  }

  async holdersOf(role: string): Promise<number[] | undefined> {
    const parts = /^sig:([^:]+):([^:]+)$/.exec(role);
    if (!parts) return undefined;
    if (!Object.hasOwn(SIG_ROLE_RANK, parts[2])) return [];
    const wanted = SIG_ROLE_RANK[parts[2] as SigRole];
    // a role is held by everyone whose membership implies it (a lead is also a maintainer …)
    const roles = (Object.keys(SIG_ROLE_RANK) as SigRole[]).filter((r) => SIG_ROLE_RANK[r] >= wanted);
    const rows = await this.dataSource.query<{ user_id: number }[]>(
      `SELECT DISTINCT m.user_id FROM sig_memberships m JOIN sigs s ON s.id = m.sig_id
        WHERE s.slug = $1 AND m.role = ANY($2) AND (m.expires_at IS NULL OR m.expires_at > now())
          AND s.status <> 'archived'`,
      [parts[1], roles],
    );
    return rows.map((r) => r.user_id);
  }
}
