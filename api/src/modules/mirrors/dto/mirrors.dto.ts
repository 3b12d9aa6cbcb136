import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
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
  ValidateIf,
} from 'class-validator';
import { HTTP_URL, OptionalCalendarDate, trimString } from '../../../common/validation';
import {
  ARCHES,
  type Arch,
  BUCKETS,
  type Bucket,
  CONTINENTS,
  type Continent,
  MIRROR_CONTENT,
  MIRROR_STATUSES,
  type MirrorContent,
  type MirrorStatus,
  RELEASE_FAMILIES,
  RELEASE_STATUSES,
  RELEASE_VERSION,
  type ReleaseFamily,
  type ReleaseStatus,
  VARIANTS,
  type Variant,
} from '../mirror.entity';

const upper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
const noTrailingSlash = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().replace(/\/+$/, '') : value;
/** A path below the mirror root: no leading slash, no `.`/`..` segments, no empty segments. */
const REL_PATH = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._+~-]+(\/[A-Za-z0-9._+~-]+)*$/;
const RSYNC_URL = /^rsync:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]*)*$/;

// ---------------------------------------------------------------- catalogue

export class ReleaseFieldsDto {
  @ApiPropertyOptional({ maxLength: 100, example: 'OpenCloudOS 9.2' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'opencloudos/9.2', description: 'Directory below the mirror root' })
  @IsOptional()
  @Matches(REL_PATH, { message: 'path must be a relative path below the mirror root' })
  @MaxLength(200)
  path?: string;

  @ApiPropertyOptional({ enum: RELEASE_STATUSES }) @IsOptional() @IsIn(RELEASE_STATUSES) status?: ReleaseStatus;

  @ApiPropertyOptional({ description: 'Offer this release first in its family (clears the flag on the others)' })
  @IsOptional()
  @IsBoolean()
  isLatest?: boolean;

  @OptionalCalendarDate()
  releasedOn?: string | null;

  @OptionalCalendarDate()
  fullSupportUntil?: string | null;

  @OptionalCalendarDate()
  eolOn?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'opencloudos/keys/RPM-GPG-KEY-OpenCloudOS-9' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(REL_PATH, { message: 'signingKeyPath must be a relative path below the mirror root' })
  @MaxLength(300)
  signingKeyPath?: string | null;
}

export class CreateReleaseDto extends ReleaseFieldsDto {
  @ApiProperty({ enum: RELEASE_FAMILIES }) @IsIn(RELEASE_FAMILIES) family: ReleaseFamily;

  @ApiProperty({ example: '9.2' })
  @Matches(RELEASE_VERSION, { message: 'version must look like 9.2 or 23' })
  version: string;

  @ApiProperty({ maxLength: 100 }) @Transform(trimString) @IsString() @Length(1, 100) declare name: string;

  @ApiProperty({ example: 'opencloudos/9.2' })
  @Matches(REL_PATH, { message: 'path must be a relative path below the mirror root' })
  @MaxLength(200)
  declare path: string;
}

export class UpdateReleaseDto extends ReleaseFieldsDto {}

export class UpdateArtefactDto {
  @ApiPropertyOptional({ enum: VARIANTS }) @IsOptional() @IsIn(VARIANTS) variant?: Variant;

  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) size?: number;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[0-9a-f]{64}$' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(REL_PATH, { message: 'signaturePath must be a relative path below the mirror root' })
  @MaxLength(400)
  signaturePath?: string | null;
}

export class ArtefactView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ARCHES }) arch: Arch;
  @ApiProperty({ enum: VARIANTS }) variant: Variant;
  @ApiProperty({ description: 'Relative to the mirror root' }) path: string;
  @ApiProperty() fileName: string;
  @ApiProperty() size: number;
  @ApiProperty({ type: String, nullable: true }) sha256: string | null;
  @ApiProperty({ type: String, nullable: true }) checksumPath: string | null;
  @ApiProperty({ type: String, nullable: true }) signaturePath: string | null;
}

export class ReleaseView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: RELEASE_FAMILIES }) family: ReleaseFamily;
  @ApiProperty() version: string;
  @ApiProperty() name: string;
  @ApiProperty() path: string;
  @ApiProperty({ enum: RELEASE_STATUSES }) status: ReleaseStatus;
  @ApiProperty() isLatest: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) releasedOn: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) fullSupportUntil: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) eolOn: string | null;
  @ApiProperty({ type: String, nullable: true }) signingKeyPath: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) importedAt: Date | null;
  @ApiProperty({ type: [ArtefactView] }) artefacts: ArtefactView[];
}

export class ReleaseListView {
  @ApiProperty({ type: [ReleaseView] }) items: ReleaseView[];
}

export class ImportQueuedView {
  @ApiProperty() queued: boolean;
}

export class FileQueryDto {
  @ApiProperty({ description: 'Path of a catalogue file below the mirror root' })
  @IsString()
  @MaxLength(400)
  path: string;

  @ApiPropertyOptional({ description: 'ISO 3166 country code to rank mirrors for', example: 'CN' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country?: string;
}

export class FileMirrorView {
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty({ enum: CONTINENTS }) continent: Continent;
  @ApiProperty({ enum: BUCKETS }) bucket: Bucket;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncAt: Date | null;
  @ApiProperty() url: string;
}

export class FileView {
  @ApiProperty({ type: ArtefactView }) artefact: ArtefactView;
  @ApiProperty({ type: ReleaseView }) release: Omit<ReleaseView, 'artefacts'>;
  @ApiProperty({ description: 'Where /download sends this visitor', example: '/download/opencloudos/9.2/…' })
  downloadPath: string;
  @ApiProperty({ type: String, nullable: true, description: 'Absolute URL of the signing key on the master' })
  signingKeyUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ type: [FileMirrorView], description: 'Mirrors that have this file, best first; the master last' })
  mirrors: FileMirrorView[];
}

// ---------------------------------------------------------------- registry

export class MirrorFieldsDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  sponsor?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  sponsorUrl?: string | null;

  @ApiPropertyOptional({ example: 'CN', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country?: string;

  @ApiPropertyOptional({ description: 'Offered bandwidth in Mbit/s', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  bandwidthMbps?: number;

  @ApiPropertyOptional() @IsOptional() @Transform(trimString) @IsEmail() @MaxLength(254) contactEmail?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://mirrors.example.org' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(noTrailingSlash)
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false })
  @MaxLength(500)
  httpsUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'http://mirrors.example.org' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(noTrailingSlash)
  @IsUrl({ protocols: ['http'], require_protocol: true, require_tld: false })
  @MaxLength(500)
  httpUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'rsync://mirrors.example.org/opencloudos' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(noTrailingSlash)
  @Matches(RSYNC_URL, { message: 'rsyncUrl must be an rsync:// URL' })
  @MaxLength(500)
  rsyncUrl?: string | null;

  @ApiPropertyOptional({ enum: MIRROR_CONTENT, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(MIRROR_CONTENT, { each: true })
  content?: MirrorContent[];
}

export class CreateMirrorDto extends MirrorFieldsDto {
  @ApiProperty({ maxLength: 100, example: 'mirrors.example.org' })
  @Transform(trimString)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{1,99}$/, { message: 'name must be 2–100 letters, digits, spaces, . _ or -' })
  name: string;

  @ApiProperty({ maxLength: 200 }) @Transform(trimString) @IsString() @Length(1, 200) declare sponsor: string;

  @ApiProperty({ example: 'CN' })
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  declare country: string;

  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(10_000_000) declare bandwidthMbps: number;

  @ApiProperty() @Transform(trimString) @IsEmail() @MaxLength(254) declare contactEmail: string;
}

export class UpdateMirrorDto extends MirrorFieldsDto {}

export class DisableMirrorDto {
  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @MaxLength(300) reason?: string;
}

export class MirrorListQueryDto {
  @ApiPropertyOptional({ enum: MIRROR_STATUSES, description: 'Admins only; others see active mirrors' })
  @IsOptional()
  @IsIn(MIRROR_STATUSES)
  status?: MirrorStatus;
}

export class MirrorStatusQueryDto {
  @ApiPropertyOptional({ example: 'CN' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country?: string;

  @ApiPropertyOptional({ enum: CONTINENTS }) @IsOptional() @Transform(upper) @IsIn(CONTINENTS) continent?: Continent;

  @ApiPropertyOptional({ enum: BUCKETS }) @IsOptional() @IsIn(BUCKETS) bucket?: Bucket;

  @ApiPropertyOptional({ enum: ['https', 'http', 'rsync'] })
  @IsOptional()
  @IsIn(['https', 'http', 'rsync'])
  protocol?: 'https' | 'http' | 'rsync';
}

export class MirrorView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() sponsor: string;
  @ApiProperty({ type: String, nullable: true }) sponsorUrl: string | null;
  @ApiProperty() country: string;
  @ApiProperty({ enum: CONTINENTS }) continent: Continent;
  @ApiProperty() bandwidthMbps: number;
  @ApiProperty({ type: String, nullable: true }) httpsUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) httpUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) rsyncUrl: string | null;
  @ApiProperty({ enum: MIRROR_CONTENT, isArray: true }) content: MirrorContent[];
  @ApiProperty({ enum: MIRROR_STATUSES }) status: MirrorStatus;
  @ApiProperty({ enum: BUCKETS }) bucket: Bucket;
  @ApiProperty({ type: Number, nullable: true }) score: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastProbeAt: Date | null;
  @ApiProperty({ type: [String] }) protocolsUp: string[];
  @ApiProperty({ type: Boolean, nullable: true }) tlsValid: boolean | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs: number | null;
  @ApiProperty({ type: Number, nullable: true }) lagSeconds: number | null;
}

export class OwnMirrorView extends MirrorView {
  @ApiProperty() contactEmail: string;
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty() consecutiveFailures: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: [String] }) missingPaths: string[];
  @ApiProperty({ type: String, nullable: true }) owner: string | null;
}

export class MirrorListView {
  @ApiProperty({ type: [OwnMirrorView] }) items: OwnMirrorView[];
}

export class PublicMirrorListView {
  @ApiProperty({ type: [MirrorView] }) items: MirrorView[];
}

export class MirrorStatusView extends MirrorView {
  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description: 'Share of successful probes per day, oldest first (7 days); null: no probe that day',
  })
  uptime7d: (number | null)[];
  @ApiProperty({ type: Number, nullable: true }) uptime: number | null;
}

export class MirrorStatusPage {
  @ApiProperty({ type: [MirrorStatusView] }) items: MirrorStatusView[];
  @ApiProperty({ enum: BUCKETS, isArray: true }) buckets: Bucket[];
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: Date;
}

export class SweepView {
  @ApiProperty() probed: number;
  @ApiProperty() ok: number;
  @ApiProperty() failed: number;
  @ApiProperty() disabled: number;
  @ApiProperty() enabled: number;
  @ApiProperty() durationMs: number;
}

// ---------------------------------------------------------------- dnf

export class RepoQueryDto {
  @ApiProperty({ enum: ['BaseOS', 'AppStream', 'extras'] })
  @IsIn(['BaseOS', 'AppStream', 'extras'])
  repo: string;

  @ApiProperty({ enum: ARCHES }) @IsIn(ARCHES) arch: Arch;

  @ApiPropertyOptional({
    example: '9',
    description: 'Release ($releasever); 9.2 means 9, whose repositories follow the newest 9.x. Default: the newest.',
  })
  @IsOptional()
  @Matches(/^\d{1,3}(\.\d{1,3})?$/, { message: 'release must be a version such as 9 or 9.2' })
  release?: string;

  @ApiPropertyOptional({ example: 'CN' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country?: string;
}

export class CountryQueryDto {
  @ApiPropertyOptional({ example: 'CN' })
  @IsOptional()
  @Transform(upper)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter ISO code' })
  country?: string;
}

export class ReleaseParamsDto {
  @ApiProperty({ enum: RELEASE_FAMILIES }) @IsIn(RELEASE_FAMILIES) family: ReleaseFamily;

  @ApiProperty({ example: '9.2' })
  @Matches(RELEASE_VERSION, { message: 'version must look like 9.2 or 23' })
  version: string;
}
