import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { CursorQueryDto } from '../../../common/pagination';
import { SIG_ROLES, type SigRole } from '../sig-membership.entity';
import { HTTP_URL, trimString } from '../../../common/validation';
import { USERNAME_PATTERN } from '../../users/user.entity';
import { MEETING_CADENCES, SIG_SLUG, SIG_STATUSES, type MeetingCadence, type SigStatus } from '../sig.entity';
import { INVITE_STATUSES, type InviteStatus } from '../sig-invite.entity';
import { JOIN_REQUEST_STATUSES, type JoinRequestStatus } from '../sig-join-request.entity';

// ---------------------------------------------------------------- requests

export class SigListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: SIG_STATUSES }) @IsOptional() @IsIn(SIG_STATUSES) status?: SigStatus;

  @ApiPropertyOptional({ description: 'Only SIGs with (true) or without (false) open bugs' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  hasOpenBugs?: boolean;

  @ApiPropertyOptional({ description: 'Searches slug, Chinese and English names' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** Fields a lead may edit; null clears an optional field. */
export class SigFieldsDto {
  @ApiPropertyOptional({ description: 'Markdown, stored as written; sanitised when rendered', maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'sig-kernel@lists.opencloudos.org' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail()
  @MaxLength(254)
  mailingList?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Chat room name or URL' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  chat?: string | null;

  @ApiPropertyOptional({ enum: MEETING_CADENCES, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(MEETING_CADENCES)
  meetingCadence?: MeetingCadence | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  meetingUrl?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  subProjects?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'Gitee logins reviewing package changes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  reviewers?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Username of the TOC liaison (admins and the TOC only)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(USERNAME_PATTERN, { message: 'tocLiaison must be a username' })
  tocLiaison?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where the proposal was discussed' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  proposalUrl?: string | null;
}

export class UpdateSigDto extends SigFieldsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Username of a SIG member who gets new bugs routed to the SIG (null: leave them unassigned)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(USERNAME_PATTERN, { message: 'bugDefaultAssignee must be a username' })
  bugDefaultAssignee?: string | null;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  nameZh?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  nameEn?: string;
}

export class CreateSigDto extends SigFieldsDto {
  @ApiProperty({ example: 'kernel', description: '2–48 characters: a-z, 0-9 and -, starting with a letter' })
  @Transform(trimString)
  @IsString()
  @Matches(SIG_SLUG, {
    message: 'slug must be 2–48 characters of a-z, 0-9 or -, starting with a letter',
  })
  slug: string;

  @ApiProperty({ maxLength: 100 }) @Transform(trimString) @IsString() @Length(1, 100) nameZh: string;
  @ApiProperty({ maxLength: 100 }) @Transform(trimString) @IsString() @Length(1, 100) nameEn: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'Usernames of the founders. A proposal (by anyone but an admin or the TOC) needs at least 3, the proposer included (added when missing).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(USERNAME_PATTERN, { each: true, message: 'founders must be usernames' })
  founders?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Founders who become leads (co-chairs); the others become maintainers. Default: the first founder.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @Matches(USERNAME_PATTERN, { each: true, message: 'leads must be usernames' })
  leads?: string[];
}

export class JoinRequestDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Why you want to join (seen by leads and maintainers)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class DecisionDto {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class JoinRequestQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: JOIN_REQUEST_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(JOIN_REQUEST_STATUSES)
  status?: JoinRequestStatus;
}

export class InviteQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: INVITE_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(INVITE_STATUSES)
  status?: InviteStatus;
}

export class InviteDto {
  @ApiProperty()
  @Transform(trimString)
  @Matches(USERNAME_PATTERN, { message: 'username must be a username' })
  username: string;

  @ApiPropertyOptional({ enum: SIG_ROLES, default: 'member' }) @IsOptional() @IsIn(SIG_ROLES) role?: SigRole;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) message?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: SIG_ROLES }) @IsIn(SIG_ROLES) role: SigRole;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsDateString({ strict: true })
  expiresAt?: string | null;
}

export class MembersQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: SIG_ROLES }) @IsOptional() @IsIn(SIG_ROLES) role?: SigRole;
}

// ---------------------------------------------------------------- responses

export class UserRefView {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
}

export class MemberView extends UserRefView {
  @ApiProperty({ enum: SIG_ROLES }) role: SigRole;
  @ApiProperty({ type: String, format: 'date-time' }) grantedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
}

export class MemberPage {
  @ApiProperty({ type: [MemberView] }) items: MemberView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class SigSummaryView {
  @ApiProperty() slug: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: SIG_STATUSES }) status: SigStatus;
  @ApiProperty({ type: String, nullable: true }) mailingList: string | null;
  @ApiProperty({ enum: MEETING_CADENCES, nullable: true }) meetingCadence: MeetingCadence | null;
  @ApiProperty() memberCount: number;
  @ApiProperty() packageCount: number;
  @ApiProperty({ description: 'Open public bugs routed to this SIG' }) openBugCount: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class SigPage {
  @ApiProperty({ type: [SigSummaryView] }) items: SigSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ActivityView {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'Username of who did it' }) actor: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ActivityPage {
  @ApiProperty({ type: [ActivityView] }) items: ActivityView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class MembersByRoleView {
  @ApiProperty({ type: [MemberView] }) lead: MemberView[];
  @ApiProperty({ type: [MemberView] }) maintainer: MemberView[];
  @ApiProperty({ type: [MemberView] }) committer: MemberView[];
  @ApiProperty({ type: [MemberView] }) member: MemberView[];
}

export class MemberCountsView {
  @ApiProperty() lead: number;
  @ApiProperty() maintainer: number;
  @ApiProperty() committer: number;
  @ApiProperty() member: number;
  @ApiProperty() total: number;
}

/** What the caller may do here, so pages can show the right buttons. */
export class SigViewerView {
  @ApiProperty({ enum: SIG_ROLES, nullable: true }) role: SigRole | null;
  @ApiProperty({ description: 'May edit the SIG and manage roles (lead, admin, TOC)' }) canManage: boolean;
  @ApiProperty({ description: 'May decide join requests and invite (lead, maintainer, admin, TOC)' })
  canDecide: boolean;
  @ApiProperty({ description: 'May activate and archive (admin, TOC)' }) canGovern: boolean;
  @ApiProperty({ type: Number, nullable: true }) pendingJoinRequestId: number | null;
  @ApiProperty({ type: Number, nullable: true }) pendingInviteId: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the viewer's membership ends" })
  membershipExpiresAt: Date | null;
  @ApiProperty({ description: 'The membership ends soon enough to be renewed now' }) canRenew: boolean;
}

export class SigDetailView extends SigSummaryView {
  @ApiProperty({ description: 'Markdown' }) description: string;
  @ApiProperty({ type: String, nullable: true }) chat: string | null;
  @ApiProperty({ type: String, nullable: true }) meetingUrl: string | null;
  @ApiProperty({ type: UserRefView, nullable: true }) tocLiaison: UserRefView | null;
  @ApiProperty({ type: UserRefView, nullable: true, description: 'Who new bugs routed to this SIG are assigned to' })
  bugDefaultAssignee: UserRefView | null;
  @ApiProperty({ type: [String] }) subProjects: string[];
  @ApiProperty({ type: [String] }) reviewers: string[];
  @ApiProperty({ type: String, nullable: true }) proposalUrl: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The governance proposal deciding its creation' })
  creationProposalId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The governance proposal that archived it' })
  archivalProposalId: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt: Date | null;
  @ApiProperty({ type: [MemberView] }) leads: MemberView[];
  @ApiProperty({ type: MembersByRoleView, description: 'Up to 100 per role; page through /members for more' })
  membersByRole: MembersByRoleView;
  @ApiProperty({ type: MemberCountsView }) memberCounts: MemberCountsView;
  @ApiProperty({ type: [ActivityView] }) recentActivity: ActivityView[];
  @ApiProperty({ type: SigViewerView, nullable: true }) viewer: SigViewerView | null;
}

export class JoinRequestView {
  @ApiProperty() id: number;
  @ApiProperty() sig: string;
  @ApiProperty({ type: UserRefView }) user: UserRefView;
  @ApiProperty() message: string;
  @ApiProperty({ enum: JOIN_REQUEST_STATUSES }) status: JoinRequestStatus;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) decisionNote: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class JoinRequestPage {
  @ApiProperty({ type: [JoinRequestView] }) items: JoinRequestView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class InviteView {
  @ApiProperty() id: number;
  @ApiProperty() sig: string;
  @ApiProperty({ type: UserRefView }) user: UserRefView;
  @ApiProperty({ enum: SIG_ROLES }) role: SigRole;
  @ApiProperty({ type: String, nullable: true }) invitedBy: string | null;
  @ApiProperty() message: string;
  @ApiProperty({ enum: INVITE_STATUSES }) status: InviteStatus;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
}

export class InvitePage {
  @ApiProperty({ type: [InviteView] }) items: InviteView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RenewedView {
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: Date;
}
