import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, AuthedRequest } from '../../common/actor';
import { Authenticated } from '../../common/policy';
import { SIG_ROLES, type SigRole } from './sig-membership.entity';
import { SIG_STATUSES, type SigStatus } from './sig.entity';

export class MySigView {
  @ApiProperty() slug: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: SIG_STATUSES }) status: SigStatus;
  @ApiProperty({ enum: SIG_ROLES }) role: SigRole;
  @ApiProperty({ type: String, format: 'date-time' }) grantedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
}

/** "My SIGs" on the profile: every SIG the caller belongs to, with their role in it. */
@ApiTags('sigs')
@Controller('api/v1/me/sigs')
export class MySigsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [MySigView] })
  async list(@Req() req: AuthedRequest): Promise<MySigView[]> {
    const actor = req.actor as Actor;
    return this.dataSource.query<MySigView[]>(
      `SELECT s.slug, s.name_zh AS "nameZh", s.name_en AS "nameEn", s.status, m.role,
              m.granted_at AS "grantedAt", m.expires_at AS "expiresAt"
         FROM sig_memberships m JOIN sigs s ON s.id = m.sig_id
        WHERE m.user_id = $1
        ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'maintainer' THEN 1 WHEN 'committer' THEN 2 ELSE 3 END, s.slug`,
      [actor.id],
    );
  }
}
