import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { Actor, AuthedRequest } from '../../common/actor';
import { IdPipe } from '../../common/id.pipe';
import { CursorQueryDto } from '../../common/pagination';
import { RequireRole } from '../../common/policy';
import { AdminService } from './admin.service';
import { SITE_ROLES, type SiteRole } from '../users/user-role.entity';

export class AuditQueryDto extends CursorQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) actorId?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) action?: string;
}

export class AuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty({ type: Number, nullable: true }) actorId: number | null;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) targetType: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class UsersQueryDto extends CursorQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class AdminUserView {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AdminUserPage {
  @ApiProperty({ type: [AdminUserView] }) items: AdminUserView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class SetRolesDto {
  @ApiProperty({ enum: SITE_ROLES, isArray: true })
  @IsArray()
  @ArrayMaxSize(SITE_ROLES.length)
  @IsIn(SITE_ROLES, { each: true })
  roles: SiteRole[];
}

@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('audit')
  @ApiOkResponse({ type: AuditPage })
  audit(@Query() q: AuditQueryDto): Promise<AuditPage> {
    return this.admin.audit(q);
  }

  @Get('users')
  @ApiOkResponse({ type: AdminUserPage })
  users(@Query() q: UsersQueryDto): Promise<AdminUserPage> {
    return this.admin.users(q.q, q.limit ?? 25, q.cursor);
  }

  @Put('users/:id/roles')
  @ApiOkResponse({ type: AdminUserView })
  setRoles(
    @Req() req: AuthedRequest,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetRolesDto,
  ): Promise<AdminUserView> {
    return this.admin.setRoles(req.actor as Actor, id, dto.roles, req);
  }
}
