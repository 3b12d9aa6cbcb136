import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { OptionalCalendarDate, trimString } from '../../../common/validation';
import { BugListItemView } from '../../bugs/dto/bugs.dto';
import { ArtefactView } from '../../mirrors/dto/mirrors.dto';
import { RELEASE_FAMILIES, type ReleaseFamily } from '../../mirrors/mirror.entity';
import { POST_KINDS, POST_SLUG, POST_STATUSES, type PostKind, type PostStatus } from '../content.entity';

/** `9.4` for OpenCloudOS, `stream-23` for Stream. */
export const RELEASE_SLUG = /^(stream-)?\d{1,3}(\.\d{1,3})?$/;
const MD_MAX = 100_000;

export class ReleaseSlugParamsDto {
  @ApiProperty({ example: '9.4', description: '`9.4` (OpenCloudOS) or `stream-23`' })
  @Matches(RELEASE_SLUG, { message: 'slug must look like 9.4 or stream-23' })
  slug: string;
}

export class ReleaseSummaryView {
  @ApiProperty({ example: '9.4' }) slug: string;
  @ApiProperty({ enum: RELEASE_FAMILIES }) family: ReleaseFamily;
  @ApiProperty() version: string;
  @ApiProperty() name: string;
  @ApiProperty() isLatest: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) releasedOn: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) fullSupportUntil: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) eolOn: string | null;
  @ApiProperty() kernel: string;
  @ApiProperty() taglineEn: string;
  @ApiProperty() taglineZh: string;
}

export class ReleaseSummaryListView {
  @ApiProperty({ type: [ReleaseSummaryView], description: 'Published releases, OpenCloudOS newest first, then Stream' })
  items: ReleaseSummaryView[];
}

export class KnownIssuesView {
  @ApiProperty({ description: 'The quicksearch; empty when the release lists none' }) query: string;
  @ApiProperty({ type: [BugListItemView], description: 'Public bugs only, whoever asks' }) items: BugListItemView[];
  @ApiProperty() more: boolean;
}

export class ReleasePageView extends ReleaseSummaryView {
  @ApiProperty({ description: 'Markdown' }) highlightsEn: string;
  @ApiProperty({ description: 'Markdown' }) highlightsZh: string;
  @ApiProperty({ description: 'Markdown' }) changelog: string;
  @ApiProperty({ type: [ArtefactView] }) artefacts: ArtefactView[];
  @ApiProperty({ type: KnownIssuesView }) knownIssues: KnownIssuesView;
  @ApiProperty({ type: String, nullable: true }) updatedAt: string | null;
}

export class UpdateReleasePageDto {
  @ApiPropertyOptional({ maxLength: 60, example: '6.6' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(60)
  kernel?: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(300)
  taglineEn?: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(300)
  taglineZh?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: MD_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(MD_MAX)
  highlightsEn?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: MD_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(MD_MAX)
  highlightsZh?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: MD_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(MD_MAX)
  changelog?: string;

  @ApiPropertyOptional({ description: 'Bug quicksearch listing the known issues', maxLength: 500 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(500)
  knownIssuesQuery?: string;

  @OptionalCalendarDate()
  releasedOn?: string | null;

  @OptionalCalendarDate()
  fullSupportUntil?: string | null;

  @OptionalCalendarDate()
  eolOn?: string | null;
}

export class PostParamsDto {
  @ApiProperty({ enum: POST_KINDS }) @IsIn(POST_KINDS) kind: PostKind;

  @ApiProperty({ example: 'opencloudos-9-4-released' })
  @Matches(POST_SLUG, { message: 'slug must be lower-case words joined by hyphens' })
  @MaxLength(100)
  slug: string;
}

export class PostListQueryDto {
  @ApiPropertyOptional({ enum: POST_KINDS, default: 'news' }) @IsOptional() @IsIn(POST_KINDS) kind?: PostKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}

export class PostFieldsDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(200)
  titleEn?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(200)
  titleZh?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(500)
  summaryEn?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(500)
  summaryZh?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: MD_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(MD_MAX)
  bodyEn?: string;

  @ApiPropertyOptional({ description: 'Markdown', maxLength: MD_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(MD_MAX)
  bodyZh?: string;

  @ApiPropertyOptional({ enum: POST_STATUSES, description: 'Publishing stamps the date once' })
  @IsOptional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;
}

export class CreatePostDto extends PostFieldsDto {
  @ApiProperty({ enum: POST_KINDS }) @IsIn(POST_KINDS) kind: PostKind;

  @ApiProperty({ example: 'opencloudos-9-4-released' })
  @Transform(trimString)
  @Length(1, 100)
  @Matches(POST_SLUG, { message: 'slug must be lower-case words joined by hyphens' })
  slug: string;
}

export class UpdatePostDto extends PostFieldsDto {}

export class PostSummaryView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: POST_KINDS }) kind: PostKind;
  @ApiProperty() slug: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() titleZh: string;
  @ApiProperty() summaryEn: string;
  @ApiProperty() summaryZh: string;
  @ApiProperty({ enum: POST_STATUSES }) status: PostStatus;
  @ApiProperty({ type: String, nullable: true }) publishedAt: string | null;
  @ApiProperty() updatedAt: string;
}

export class PostView extends PostSummaryView {
  @ApiProperty({ description: 'Markdown' }) bodyEn: string;
  @ApiProperty({ description: 'Markdown' }) bodyZh: string;
  @ApiProperty({ type: String, nullable: true }) author: string | null;
}

export class PostListView {
  @ApiProperty({ type: [PostSummaryView] }) items: PostSummaryView[];
  @ApiProperty() total: number;
}

export class SitemapEntryView {
  @ApiProperty({ example: '/releases/9.4' }) path: string;
  @ApiProperty({ type: String, nullable: true }) lastmod: string | null;
}

export class SitemapView {
  @ApiProperty({ type: [SitemapEntryView] }) entries: SitemapEntryView[];
}
