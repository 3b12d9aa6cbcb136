import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CursorQueryDto } from '../../../common/pagination';
import { trimString } from '../../../common/validation';
import { USERNAME_PATTERN } from '../../users/user.entity';
import { ORGANISATION_STATUSES, type OrganisationStatus } from '../../organisations/organisation.entity';
import { SIG_SLUG } from '../../sigs/sig.entity';
import {
  ABSTENTION_POLICIES,
  BALLOT_MODES,
  BODY_SLUG,
  ELECTORATES,
  METHODS,
  OFFICES,
  OUTCOMES,
  PROPOSAL_KINDS,
  PROPOSAL_STATUSES,
  THRESHOLDS,
  type BallotMode,
  type ElectorateKind,
  type Office,
  type Outcome,
  type ProposalKind,
  type ProposalStatus,
  type VoteMethod,
} from '../governance.entity';

export const OPTION_KEY = /^[a-z0-9][a-z0-9_-]{0,31}$/;

// ---------------------------------------------------------------- requests: bodies

export class CreateBodyDto {
  @ApiProperty({ example: 'sigcc' }) @IsString() @Matches(BODY_SLUG) slug: string;
  @ApiProperty() @Transform(trimString) @IsString() @Length(1, 100) nameZh: string;
  @ApiProperty() @Transform(trimString) @IsString() @Length(1, 100) nameEn: string;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 500 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(500)
  maxSeats?: number | null;
  @ApiPropertyOptional({ minimum: 1, maximum: 120, default: 36 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  termMonths?: number;
}

export class UpdateBodyDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trimString) @IsString() @Length(1, 100) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trimString) @IsString() @Length(1, 100) nameEn?: string;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 500 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(500)
  maxSeats?: number | null;
  @ApiPropertyOptional({ minimum: 1, maximum: 120 }) @IsOptional() @IsInt() @Min(1) @Max(120) termMonths?: number;
}

export class AddBodyMemberDto {
  @ApiProperty() @IsString() @Matches(USERNAME_PATTERN) username: string;
  @ApiPropertyOptional({ enum: OFFICES, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(OFFICES)
  office?: Office | null;
  @ApiPropertyOptional({ description: 'Default: now' }) @IsOptional() @IsDateString() termStart?: string;
  @ApiPropertyOptional({ description: "Default: the start plus the body's term length" })
  @IsOptional()
  @IsDateString()
  termEnd?: string;
}

export class UpdateBodyMemberDto {
  @ApiPropertyOptional({ enum: OFFICES, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(OFFICES)
  office?: Office | null;
  @ApiPropertyOptional() @IsOptional() @IsDateString() termEnd?: string;
}

// ---------------------------------------------------------------- requests: proposals

export class RulesDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @IsInt() @Min(0) @Max(100) quorumPercent?: number;
  @ApiPropertyOptional({ enum: THRESHOLDS }) @IsOptional() @IsIn(THRESHOLDS) threshold?: (typeof THRESHOLDS)[number];
  @ApiPropertyOptional({ enum: ABSTENTION_POLICIES })
  @IsOptional()
  @IsIn(ABSTENTION_POLICIES)
  abstentions?: (typeof ABSTENTION_POLICIES)[number];
  @ApiPropertyOptional({ minimum: 0, maximum: 2160 }) @IsOptional() @IsInt() @Min(0) @Max(2160) minHours?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 2160 }) @IsOptional() @IsInt() @Min(1) @Max(2160) maxHours?: number;
}

/** A body's default rules for one kind of proposal; omitted fields fall back to the charter's. */
export class BodyRulesDto extends RulesDto {
  @ApiPropertyOptional({ enum: BALLOT_MODES }) @IsOptional() @IsIn(BALLOT_MODES) ballotMode?: BallotMode;
}

export class OptionDto {
  @ApiProperty({ example: 'alice' }) @IsString() @Matches(OPTION_KEY) key: string;
  @ApiProperty() @Transform(trimString) @IsString() @Length(1, 200) label: string;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) description?: string;
}

export class ProposalFieldsDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trimString) @IsString() @Length(3, 200) title?: string;
  @ApiPropertyOptional({ description: 'Markdown', maxLength: 50000 })
  @IsOptional()
  @IsString()
  @MaxLength(50000)
  text?: string;
  @ApiPropertyOptional({ type: RulesDto }) @IsOptional() @ValidateNested() @Type(() => RulesDto) rules?: RulesDto;
  @ApiPropertyOptional({ enum: BALLOT_MODES }) @IsOptional() @IsIn(BALLOT_MODES) ballotMode?: BallotMode;
  @ApiPropertyOptional({ enum: ELECTORATES }) @IsOptional() @IsIn(ELECTORATES) electorate?: ElectorateKind;
  @ApiPropertyOptional({ minimum: 1, maximum: 60, description: 'For active_contributors' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  electorateMonths?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 50 }) @IsOptional() @IsInt() @Min(1) @Max(50) seats?: number;
  @ApiPropertyOptional({ type: [OptionDto], description: 'Election candidates (2–50)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OptionDto)
  options?: OptionDto[];
  @ApiPropertyOptional({ description: 'Add a "None of the above" option to an election' })
  @IsOptional()
  @IsBoolean()
  noneOfTheAbove?: boolean;
}

export class CreateProposalDto extends ProposalFieldsDto {
  @ApiProperty({ example: 'toc' }) @IsString() @Matches(BODY_SLUG) body: string;
  @ApiProperty({ enum: PROPOSAL_KINDS }) @IsIn(PROPOSAL_KINDS) kind: ProposalKind;
  @ApiProperty() @Transform(trimString) @IsString() @Length(3, 200) declare title: string;
  @ApiPropertyOptional({ enum: METHODS, description: 'Elections: schulze (default), approval or plurality' })
  @IsOptional()
  @IsIn(METHODS)
  method?: VoteMethod;
  @ApiPropertyOptional({ description: 'The SIG an archival proposal archives' })
  @IsOptional()
  @IsString()
  @Matches(SIG_SLUG)
  sig?: string;
}

export class OpenVotingDto {
  @ApiPropertyOptional({ description: 'Schedule the opening (default: now)' })
  @IsOptional()
  @IsDateString()
  opensAt?: string;
  @ApiProperty({ minimum: 1, maximum: 2160, description: 'Length of the voting window in hours' })
  @IsInt()
  @Min(1)
  @Max(2160)
  hours: number;
}

export class ExtendDto {
  @ApiProperty({ minimum: 1, maximum: 2160, description: 'Hours added to the close' })
  @IsInt()
  @Min(1)
  @Max(2160)
  hours: number;
  @ApiProperty({ description: 'Why (shown in the audit trail)' })
  @Transform(trimString)
  @IsString()
  @Length(5, 500)
  reason: string;
}

export class CommentDto {
  @ApiProperty({ maxLength: 20000 }) @IsString() @Length(1, 20000) body: string;
}

export class EligibilityRequestDto {
  @ApiProperty({ maxLength: 2000 }) @Transform(trimString) @IsString() @Length(5, 2000) reason: string;
}

export class BallotDto {
  @ApiPropertyOptional({ enum: ['yes', 'no', 'abstain'], description: 'Motions' })
  @IsOptional()
  @IsIn(['yes', 'no', 'abstain'])
  vote?: 'yes' | 'no' | 'abstain';
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Ranked elections: option key → rank (1 = first choice; equal ranks allowed; omitted = unranked)',
  })
  @IsOptional()
  @IsObject()
  ranks?: Record<string, number>;
  @ApiPropertyOptional({ type: [String], description: 'Approval elections: the options you approve' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  approve?: string[];
  @ApiPropertyOptional({ description: 'Plurality elections: your one choice' })
  @IsOptional()
  @IsString()
  @Matches(OPTION_KEY)
  pick?: string;
  @ApiPropertyOptional({
    description: 'Your receipt secret from an earlier ballot (keeps your receipt); a new one is made if absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,64}$/)
  secret?: string;
}

export class ReceiptCheckDto {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_-]{16,64}$/) secret: string;
}

export class ProposalListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES }) @IsOptional() @IsIn(PROPOSAL_STATUSES) status?: ProposalStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(BODY_SLUG) body?: string;
  @ApiPropertyOptional({ enum: PROPOSAL_KINDS }) @IsOptional() @IsIn(PROPOSAL_KINDS) kind?: ProposalKind;
}

// ---------------------------------------------------------------- responses

export class GovUserRef {
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
}

export class BodyMemberView {
  @ApiProperty() id: number;
  @ApiProperty({ type: GovUserRef }) user: GovUserRef;
  @ApiProperty({ enum: OFFICES, nullable: true }) office: Office | null;
  @ApiProperty() termStart: string;
  @ApiProperty() termEnd: string;
  @ApiProperty({ description: 'Inside the term now' }) current: boolean;
}

export class RulesView {
  @ApiProperty() quorumPercent: number;
  @ApiProperty({ enum: THRESHOLDS }) threshold: (typeof THRESHOLDS)[number];
  @ApiProperty({ enum: ABSTENTION_POLICIES }) abstentions: (typeof ABSTENTION_POLICIES)[number];
  @ApiProperty() minHours: number;
  @ApiProperty() maxHours: number;
}

export class BodyKindRulesView {
  @ApiProperty({ enum: PROPOSAL_KINDS }) kind: ProposalKind;
  @ApiProperty({ type: RulesView }) rules: RulesView;
  @ApiProperty({ enum: BALLOT_MODES }) ballotMode: BallotMode;
}

export class BodySummaryView {
  @ApiProperty() slug: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: Number, nullable: true }) maxSeats: number | null;
  @ApiProperty() termMonths: number;
  @ApiProperty() memberCount: number;
}

export class BodyDetailView extends BodySummaryView {
  @ApiProperty({ type: [BodyMemberView], description: 'Current members' }) members: BodyMemberView[];
  @ApiProperty({ type: [BodyMemberView], description: 'Past terms, latest first' }) past: BodyMemberView[];
  @ApiProperty({ type: [BodyKindRulesView], description: 'The rules a new proposal of each kind starts with' })
  rules: BodyKindRulesView[];
}

export class BodyListView {
  @ApiProperty({ type: [BodySummaryView] }) items: BodySummaryView[];
}

export class OptionView {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty() description: string;
  @ApiProperty() isNota: boolean;
}

export class RollCallEntry {
  @ApiProperty({ type: GovUserRef }) voter: GovUserRef;
  @ApiProperty({ description: 'yes / no / abstain, or a Debian-style ranking string' }) vote: string;
  @ApiProperty() castAt: string;
}

export class ProposalViewerView {
  @ApiProperty() canEdit: boolean;
  @ApiProperty() canOpen: boolean;
  @ApiProperty() canWithdraw: boolean;
  @ApiProperty() canExtend: boolean;
  @ApiProperty() canDecideEligibility: boolean;
  @ApiProperty() eligible: boolean;
  @ApiProperty() hasVoted: boolean;
  @ApiProperty({ description: 'May ask to be added to the electorate' }) canRequestEligibility: boolean;
  @ApiProperty({ enum: ['pending', 'approved', 'declined'], nullable: true })
  eligibilityRequest: 'pending' | 'approved' | 'declined' | null;
}

export class ProposalSummaryView {
  @ApiProperty() id: number;
  @ApiProperty() body: string;
  @ApiProperty() bodyNameEn: string;
  @ApiProperty() bodyNameZh: string;
  @ApiProperty({ enum: PROPOSAL_KINDS }) kind: ProposalKind;
  @ApiProperty() title: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: ProposalStatus;
  @ApiProperty({ enum: OUTCOMES, nullable: true }) outcome: Outcome | null;
  @ApiProperty({ type: GovUserRef, nullable: true }) author: GovUserRef | null;
  @ApiProperty({ type: String, nullable: true }) votingOpensAt: string | null;
  @ApiProperty({ type: String, nullable: true }) votingClosesAt: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class ProposalPage {
  @ApiProperty({ type: [ProposalSummaryView] }) items: ProposalSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class GovSigRefView {
  @ApiProperty() slug: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() status: string;
}

export class ProposalApplicationRef {
  @ApiProperty({ description: 'GET /api/v1/organisations/applications/{id}' }) id: number;
  @ApiProperty({ enum: ORGANISATION_STATUSES }) status: OrganisationStatus;
}

export class ProposalDetailView extends ProposalSummaryView {
  @ApiProperty() text: string;
  @ApiProperty({ enum: METHODS }) method: VoteMethod;
  @ApiProperty() seats: number;
  @ApiProperty({ enum: BALLOT_MODES }) ballotMode: BallotMode;
  @ApiProperty({ enum: ELECTORATES }) electorate: ElectorateKind;
  @ApiProperty({ type: Number, nullable: true }) electorateMonths: number | null;
  @ApiProperty({ type: RulesView }) rules: RulesView;
  @ApiProperty({ description: 'Rules are frozen once voting opens' }) rulesFrozen: boolean;
  @ApiProperty({ type: [OptionView] }) options: OptionView[];
  @ApiProperty({ type: GovSigRefView, nullable: true }) sig: GovSigRefView | null;
  @ApiProperty({ type: String, nullable: true }) openedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) exceptionsCloseAt: string | null;
  @ApiProperty({ description: 'Size of the electorate (0 before voting opens)' }) eligibleCount: number;
  @ApiProperty({ description: 'How many have voted (not how)' }) votedCount: number;
  @ApiProperty({ type: [RollCallEntry], description: 'Roll-call votes only: who voted what' })
  rollCall: RollCallEntry[];
  @ApiProperty({ type: ProposalViewerView, nullable: true }) viewer: ProposalViewerView | null;
  @ApiProperty({ description: 'sha256 of the published result document', type: String, nullable: true })
  resultSha256: string | null;
  @ApiProperty({
    type: ProposalApplicationRef,
    nullable: true,
    description:
      "A membership vote's application, for those who may see it (the applicant, council, member representatives)",
  })
  application: ProposalApplicationRef | null;
}

export class GovCommentView {
  @ApiProperty() id: number;
  @ApiProperty({ type: GovUserRef, nullable: true }) author: GovUserRef | null;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
}

export class CommentListView {
  @ApiProperty({ type: [GovCommentView] }) items: GovCommentView[];
}

export class EligibilityRequestView {
  @ApiProperty() id: number;
  @ApiProperty({ type: GovUserRef }) user: GovUserRef;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['pending', 'approved', 'declined'] }) status: 'pending' | 'approved' | 'declined';
  @ApiProperty() createdAt: string;
}

export class EligibilityRequestList {
  @ApiProperty({ type: [EligibilityRequestView] }) items: EligibilityRequestView[];
}

export class BallotReceiptView {
  @ApiProperty({ description: 'Published next to your ballot in the result' }) receipt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Keep this: it proves which published ballot is yours. Shown once; null if you sent your own.',
  })
  secret: string | null;
  @ApiProperty({ description: 'The proposal closed because of this ballot' }) closed: boolean;
}

export class MyBallotView {
  @ApiProperty({ type: BallotDto, nullable: true }) choice: Omit<BallotDto, 'secret'> | null;
  @ApiProperty({ type: String, nullable: true }) receipt: string | null;
}

export class ReceiptCheckView {
  @ApiProperty() receipt: string;
  @ApiProperty({ description: 'A ballot with this receipt is in the ballot box (or the published list)' })
  counted: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The vote as published, after the close' })
  vote: string | null;
}

export class GovAuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) actor: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() createdAt: string;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditTrailView {
  @ApiProperty({ type: [GovAuditEntryView] }) items: GovAuditEntryView[];
  @ApiProperty({ description: 'The whole chain verified' }) chainOk: boolean;
  @ApiProperty({ type: String, nullable: true }) brokenAt: string | null;
}

export class ResultDocument {
  @ApiProperty({ type: 'object', additionalProperties: true }) result: Record<string, unknown>;
  @ApiProperty() sha256: string;
}
