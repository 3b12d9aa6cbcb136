import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RoleProvider } from '../users/role-providers';
import { impliedRoles } from './sig-access';
import type { SigRole } from './sig-membership.entity';

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
}
