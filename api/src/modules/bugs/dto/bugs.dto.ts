import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CursorQueryDto } from '../../../common/pagination';
import { HTTP_URL, trimString } from '../../../common/validation';
import { UserRefView } from '../../sigs/dto/sigs.dto';
import { USERNAME_PATTERN } from '../../users/user.entity';
import {
  BUG_PRIORITIES,
  BUG_RESOLUTIONS,
  BUG_SEVERITIES,
  BUG_STATUSES,
  type BugPriority,
  type BugResolution,
  type BugSeverity,
  type BugStatus,
} from '../quicksearch';

export const BUG_SORTS = ['relevance', 'updated', 'created', 'heat', 'priority', 'id'] as const;
export type BugSort = (typeof BUG_SORTS)[number];
export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;
export const CVE_PATTERN = /^CVE-\d{4}-\d{4,7}$/;
export const KEYWORD_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$/;
const USERNAME_MSG = 'must be a username';

// ---------------------------------------------------------------- requests

export class BugSearchQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not valid' })
  cursor?: string;

  @ApiPropertyOptional({
    description:
      'Quicksearch: words, "phrases", field:value,value, @assignee, #id, P1-2, -negation. Open bugs unless a status is given.',
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  q?: string;

  @ApiPropertyOptional({ enum: BUG_SORTS, description: 'Default: relevance with text, else updated' })
  @IsOptional()
  @IsIn(BUG_SORTS)
  sort?: BugSort;

  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) product?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) component?: string;
  @ApiPropertyOptional({ maxLength: 48 }) @IsOptional() @IsString() @MaxLength(48) sig?: string;

  @ApiPropertyOptional({ enum: BUG_STATUSES, isArray: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @IsIn(BUG_STATUSES, { each: true })
  status?: BugStatus[];

  @ApiPropertyOptional({ enum: BUG_SEVERITIES }) @IsOptional() @IsIn(BUG_SEVERITIES) severity?: BugSeverity;
  @ApiPropertyOptional({ enum: BUG_PRIORITIES }) @IsOptional() @IsIn(BUG_PRIORITIES) priority?: BugPriority;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(USERNAME_PATTERN, { message: `assignee ${USERNAME_MSG}` })
  assignee?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(USERNAME_PATTERN, { message: `reporter ${USERNAME_MSG}` })
  reporter?: string;
}

export class DuplicateQueryDto {
  @ApiProperty({ maxLength: 64 }) @IsString() @Length(1, 64) product: string;

  @ApiProperty({ description: 'The summary being typed', maxLength: 255 })
  @IsString()
  @Length(3, 255)
  summary: string;
}

export class CommentInputDto {
  @ApiProperty({ description: 'Markdown', maxLength: 65535 })
  @IsString()
  @MinLength(1)
  @MaxLength(65535)
  body: string;

  @ApiPropertyOptional({ description: 'Visible to the security team only' })
  @IsOptional()
  @IsBoolean()
  isPrivate?: boolean;
}

class BugEditableFields {
  @ApiPropertyOptional({ enum: BUG_SEVERITIES }) @IsOptional() @IsIn(BUG_SEVERITIES) severity?: BugSeverity;
  @ApiPropertyOptional({ enum: BUG_PRIORITIES }) @IsOptional() @IsIn(BUG_PRIORITIES) priority?: BugPriority;
  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsString() @Length(1, 32) hardware?: string;
  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsString() @Length(1, 32) opSys?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(USERNAME_PATTERN, { message: `assignee ${USERNAME_MSG}` })
  assignee?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(USERNAME_PATTERN, { message: `qaContact ${USERNAME_MSG}` })
  qaContact?: string | null;

  @ApiPropertyOptional({ description: 'http(s) URL or empty', maxLength: 500 })
  @IsOptional()
  @ValidateIf((_, v) => v !== '')
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  url?: string;

  @ApiPropertyOptional({ maxLength: 255 }) @IsOptional() @IsString() @MaxLength(255) whiteboard?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @Matches(KEYWORD_PATTERN, { each: true, message: 'keywords must be words (letters, digits, _ . + -)' })
  keywords?: string[];

  @ApiPropertyOptional({ type: [String], example: ['CVE-2026-12345'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(CVE_PATTERN, { each: true, message: 'cveIds must look like CVE-2026-12345' })
  cveIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'URLs of the same problem in other trackers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ArrayUnique()
  @IsUrl(HTTP_URL, { each: true })
  @MaxLength(500, { each: true })
  seeAlso?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @Matches(ALIAS_PATTERN, { each: true, message: 'aliases must start with a letter (letters, digits, _ . -)' })
  aliases?: string[];

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  dependsOn?: number[];

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  blocks?: number[];

  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsString() @MaxLength(32) targetRelease?: string;

  @ApiPropertyOptional({ description: 'Build NVR that carries the fix', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fixedIn?: string;

  @ApiPropertyOptional({ description: 'Security bug: hidden from everyone but the security team and the people on it' })
  @IsOptional()
  @IsBoolean()
  isPrivate?: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsDateString()
  embargoUntil?: string | null;
}

export class CreateBugDto extends BugEditableFields {
  @ApiProperty({ maxLength: 64, example: 'OpenCloudOS' }) @IsString() @Length(1, 64) product: string;

  @ApiProperty({ maxLength: 255 })
  @Transform(trimString)
  @IsString()
  @Length(1, 255)
  summary: string;

  @ApiProperty({ maxLength: 32, example: '9.2' }) @IsString() @Length(1, 32) version: string;

  @ApiProperty({ description: 'A package name or a general component name', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  component: string;

  @ApiProperty({ description: 'Markdown', maxLength: 65535 })
  @IsString()
  @MinLength(1)
  @MaxLength(65535)
  description: string;

  @ApiPropertyOptional({ type: [String], description: 'Usernames to CC' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(USERNAME_PATTERN, { each: true, message: `cc ${USERNAME_MSG}` })
  cc?: string[];
}

export class CcChangeDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(USERNAME_PATTERN, { each: true, message: `cc ${USERNAME_MSG}` })
  add?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(USERNAME_PATTERN, { each: true, message: `cc ${USERNAME_MSG}` })
  remove?: string[];
}

export class UpdateBugDto extends BugEditableFields {
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @Length(1, 64) product?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 255)
  summary?: string;

  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsString() @Length(1, 32) version?: string;

  @ApiPropertyOptional({ description: 'A package name or a general component name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  component?: string;

  @ApiPropertyOptional({ enum: BUG_STATUSES }) @IsOptional() @IsIn(BUG_STATUSES) status?: BugStatus;

  @ApiPropertyOptional({ enum: BUG_RESOLUTIONS, description: 'Required when resolving' })
  @IsOptional()
  @IsIn(BUG_RESOLUTIONS)
  resolution?: BugResolution;

  @ApiPropertyOptional({ description: 'The original, when resolving as DUPLICATE' })
  @IsOptional()
  @IsInt()
  @Min(1)
  dupeOf?: number;

  @ApiPropertyOptional({ type: CcChangeDto }) @IsOptional() @ValidateNested() @Type(() => CcChangeDto) cc?: CcChangeDto;

  @ApiPropertyOptional({ type: CommentInputDto, description: 'A comment added with the change' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CommentInputDto)
  comment?: CommentInputDto;

  @ApiPropertyOptional({ description: 'Last updatedAt the client saw: a newer bug answers 409 (mid-air collision)' })
  @IsOptional()
  @IsDateString()
  ifUnmodifiedSince?: string;
}

export class EditCommentDto {
  @ApiProperty({ maxLength: 65535 }) @IsString() @MinLength(1) @MaxLength(65535) body: string;
}

export class NeedinfoDto {
  @ApiProperty() @Matches(USERNAME_PATTERN, { message: `user ${USERNAME_MSG}` }) user: string;

  @ApiPropertyOptional({ maxLength: 65535, description: 'The question, added as a comment' })
  @IsOptional()
  @IsString()
  @MaxLength(65535)
  question?: string;
}

export class CreateAttachmentDto {
  @ApiProperty({ maxLength: 255 })
  @IsString()
  @Length(1, 255)
  @Matches(/^[^/\\\0]+$/, { message: 'filename must not contain path separators' })
  filename: string;

  @ApiProperty({ example: 'text/plain', maxLength: 100 })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, { message: 'contentType must be a MIME type' })
  @MaxLength(100)
  contentType: string;

  @ApiProperty({ description: 'File content, base64' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/=\r\n]*$/, { message: 'data must be base64' })
  data: string;

  @ApiPropertyOptional({ maxLength: 255 }) @IsOptional() @IsString() @MaxLength(255) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isPatch?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isPrivate?: boolean;

  @ApiPropertyOptional({ maxLength: 65535 }) @IsOptional() @IsString() @MaxLength(65535) comment?: string;
}

export const MY_BUG_ROLES = ['reported', 'assigned', 'cc', 'needinfo'] as const;
export type MyBugRole = (typeof MY_BUG_ROLES)[number];

export class MyBugsQueryDto extends CursorQueryDto {
  @ApiProperty({ enum: MY_BUG_ROLES }) @IsIn(MY_BUG_ROLES) role: MyBugRole;

  @ApiPropertyOptional({ description: 'Include closed bugs' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => value === 'true' || value === true)
  @IsBoolean()
  closed?: boolean;
}

export class SavedSearchInputDto {
  @ApiProperty({ maxLength: 100 }) @Transform(trimString) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ maxLength: 1000 }) @IsString() @MaxLength(1000) query: string;
  @ApiPropertyOptional({ enum: BUG_SORTS }) @IsOptional() @IsIn(BUG_SORTS) sort?: BugSort;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() shared?: boolean;
  @ApiPropertyOptional({ description: 'Mail me new matches' }) @IsOptional() @IsBoolean() watch?: boolean;
}

export class MailPrefDto {
  @ApiProperty() @IsString() @MaxLength(16) role: string;
  @ApiProperty() @IsString() @MaxLength(16) event: string;
  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class MailPrefsDto {
  @ApiProperty({ type: [MailPrefDto] })
  @IsArray()
  @ArrayMaxSize(25)
  @ValidateNested({ each: true })
  @Type(() => MailPrefDto)
  prefs: MailPrefDto[];
}

export class FeedQueryDto {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

// ---------------------------------------------------------------- views

export class SigBriefView {
  @ApiProperty() slug: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
}

export class BugListItemView {
  @ApiProperty() id: number;
  @ApiProperty() summary: string;
  @ApiProperty({ enum: BUG_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true, enum: BUG_RESOLUTIONS }) resolution: string | null;
  @ApiProperty() product: string;
  @ApiProperty() component: string;
  @ApiProperty() version: string;
  @ApiProperty({ type: SigBriefView, nullable: true }) sig: SigBriefView | null;
  @ApiProperty({ enum: BUG_SEVERITIES }) severity: string;
  @ApiProperty({ enum: BUG_PRIORITIES }) priority: string;
  @ApiProperty({ type: String, nullable: true }) assignee: string | null;
  @ApiProperty() reporter: string;
  @ApiProperty() heat: number;
  @ApiProperty() affectedCount: number;
  @ApiProperty() commentCount: number;
  @ApiProperty() isPrivate: boolean;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class BugCountView {
  @ApiProperty({ description: 'Exact up to the cap' }) value: number;
  @ApiProperty({ description: 'True when there are more than `value` matches' }) more: boolean;
  @ApiProperty({ description: "True when `value` is the planner's estimate (counting exactly would be slow)" })
  estimated: boolean;
}

export class BugSearchError {
  @ApiProperty() token: string;
  @ApiProperty() message: string;
}

export class BugSearchPage {
  @ApiProperty({ type: [BugListItemView] }) items: BugListItemView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: BugCountView }) total: BugCountView;
  @ApiProperty({ enum: BUG_SORTS }) sort: string;
  @ApiProperty({ type: [BugSearchError], description: 'Parts of the query that were ignored' })
  warnings: BugSearchError[];
}

export class BugPage {
  @ApiProperty({ type: [BugListItemView] }) items: BugListItemView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class DuplicateCandidateView {
  @ApiProperty() id: number;
  @ApiProperty() summary: string;
  @ApiProperty({ enum: BUG_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) resolution: string | null;
  @ApiProperty() similarity: number;
  @ApiProperty({ type: [Number], description: 'Duplicates folded into this original' }) via: number[];
}

export class CommentView {
  @ApiProperty() id: number;
  @ApiProperty({ description: '0 is the description' }) count: number;
  @ApiProperty({ type: UserRefView }) author: UserRefView;
  @ApiProperty({ description: 'Markdown' }) body: string;
  @ApiProperty() isPrivate: boolean;
  @ApiProperty({ type: Number, nullable: true }) attachmentId: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt: Date | null;
}

export class CommentRevisionView {
  @ApiProperty() body: string;
  @ApiProperty({ type: String, nullable: true }) editedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) editedAt: Date;
}

export class FlagView {
  @ApiProperty() name: string;
  @ApiProperty() requestee: string;
  @ApiProperty() setter: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AttachmentView {
  @ApiProperty() id: number;
  @ApiProperty() bugId: number;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty() sha256: string;
  @ApiProperty() description: string;
  @ApiProperty() isPatch: boolean;
  @ApiProperty() isPrivate: boolean;
  @ApiProperty() isObsolete: boolean;
  @ApiProperty() creator: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class TransitionView {
  @ApiProperty({ enum: BUG_STATUSES }) status: string;
  @ApiProperty({ enum: BUG_RESOLUTIONS, isArray: true, description: 'Resolutions allowed with it (empty if open)' })
  resolutions: string[];
}

export class BugPermissionsView {
  @ApiProperty() canComment: boolean;
  @ApiProperty({ description: 'May change every field' }) canEdit: boolean;
  @ApiProperty({ type: [String], description: 'Fields this user may change' }) editableFields: string[];
  @ApiProperty({ type: [TransitionView] }) transitions: TransitionView[];
  @ApiProperty() canCommentPrivately: boolean;
  @ApiProperty() canSetPrivate: boolean;
}

export class BugMeView {
  @ApiProperty() affected: boolean;
  @ApiProperty() cc: boolean;
  @ApiProperty() needinfo: boolean;
}

export class BugDetailView extends BugListItemView {
  @ApiProperty({ type: [String] }) aliases: string[];
  @ApiProperty() hardware: string;
  @ApiProperty() opSys: string;
  @ApiProperty({ type: String, nullable: true }) qaContact: string | null;
  @ApiProperty() url: string;
  @ApiProperty() whiteboard: string;
  @ApiProperty({ type: [String] }) cveIds: string[];
  @ApiProperty({ type: [String] }) seeAlso: string[];
  @ApiProperty() targetRelease: string;
  @ApiProperty() fixedIn: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) embargoUntil: Date | null;
  @ApiProperty({ type: Number, nullable: true }) dupeOf: number | null;
  @ApiProperty({ type: [Number] }) duplicates: number[];
  @ApiProperty({ type: [Number] }) dependsOn: number[];
  @ApiProperty({ type: [Number] }) blocks: number[];
  @ApiProperty({ type: [String] }) cc: string[];
  @ApiProperty({ type: String, nullable: true, description: 'Package component: the package name' }) package:
    string | null;
  @ApiProperty({ type: [FlagView] }) flags: FlagView[];
  @ApiProperty({ type: [CommentView] }) comments: CommentView[];
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty({ type: BugPermissionsView }) permissions: BugPermissionsView;
  @ApiProperty({ type: BugMeView, nullable: true }) me: BugMeView | null;
}

export class HistoryEntryView {
  @ApiProperty({ type: String, nullable: true }) who: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) when: Date;
  @ApiProperty() field: string;
  @ApiProperty() removed: string;
  @ApiProperty() added: string;
}

export class VersionView {
  @ApiProperty() name: string;
  @ApiProperty() isActive: boolean;
}

export class ComponentView {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: SigBriefView, nullable: true }) sig: SigBriefView | null;
  @ApiProperty({ type: String, nullable: true }) defaultAssignee: string | null;
  @ApiProperty({ description: 'Offered for new bugs (inactive ones are listed to admins only)' }) isActive: boolean;
  @ApiProperty({ description: 'A package rather than a general component' }) isPackage: boolean;
}

export class ProductView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ description: 'Every package is also a component' }) packageComponents: boolean;
  @ApiProperty({ description: 'Markdown template for new bugs' }) bugTemplate: string;
  @ApiProperty({ type: [VersionView] }) versions: VersionView[];
  @ApiProperty({ type: [ComponentView], description: 'General components (packages are listed by /packages)' })
  components: ComponentView[];
}

export class SavedSearchView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() query: string;
  @ApiProperty({ enum: BUG_SORTS }) sort: string;
  @ApiProperty() shared: boolean;
  @ApiProperty() watch: boolean;
  @ApiProperty() owner: string;
}

export class MailPrefsView {
  @ApiProperty({ type: [MailPrefDto] }) prefs: MailPrefDto[];
}

export class AffectsView {
  @ApiProperty() affected: boolean;
  @ApiProperty() affectedCount: number;
}

// ---------------------------------------------------------------- product administration

export class ProductInputDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 64)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u, { message: 'name must be letters, digits, spaces and . _ + -' })
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;
  @ApiPropertyOptional({ description: 'Every package is a component' })
  @IsOptional()
  @IsBoolean()
  packageComponents?: boolean;

  @ApiPropertyOptional({ description: 'Markdown prefilled into new bugs', maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  bugTemplate?: string;
}

export class VersionInputDto {
  @ApiProperty({ maxLength: 32, example: '9.4' })
  @Transform(trimString)
  @IsString()
  @Length(1, 32)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'name must be a version like 9.4' })
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;
}

export class ComponentInputDto {
  @ApiProperty({ maxLength: 100 })
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u, { message: 'name must be letters, digits, spaces and . _ + -' })
  name: string;

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Slug of the SIG whose triage queue gets these bugs',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[a-z][a-z0-9-]{1,47}$/, { message: 'sig must be a SIG slug' })
  sig?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(USERNAME_PATTERN, { message: `defaultAssignee ${USERNAME_MSG}` })
  defaultAssignee?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;

  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'PUT only: the new name of the existing component `name` (its bugs follow; 409 component_exists or component_is_package on a clash)',
  })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u, { message: 'rename must be letters, digits, spaces and . _ + -' })
  rename?: string;
}

export class SigWatchView {
  @ApiProperty({ description: 'The caller gets mail about every bug routed to the SIG' }) watching: boolean;
  @ApiProperty() watchers: number;
}
