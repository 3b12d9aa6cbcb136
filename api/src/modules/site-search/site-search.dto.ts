import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { trimString } from '../../common/validation';
import { BugListItemView } from '../bugs/dto/bugs.dto';

export const SEARCH_TYPES = ['all', 'bugs', 'packages', 'sigs', 'proposals', 'releases', 'pages'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export class SiteSearchQueryDto {
  @ApiProperty({ description: 'Words in Chinese or English; for bugs, Bugzilla quicksearch syntax' })
  @Transform(trimString)
  @IsString()
  @Length(1, 200)
  q: string;

  @ApiPropertyOptional({ enum: SEARCH_TYPES, default: 'all' }) @IsOptional() @IsIn(SEARCH_TYPES) type?: SearchType;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, description: 'Per type; default 5 for all, 25 for one type' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class PackageHit {
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, nullable: true }) sig: string | null;
}

export class SigHit {
  @ApiProperty() slug: string;
  @ApiProperty() nameEn: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() status: string;
}

export class ProposalHit {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() kind: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
}

export class ReleaseHit {
  @ApiProperty({ example: '9.4' }) slug: string;
  @ApiProperty() name: string;
  @ApiProperty() family: string;
  @ApiProperty() taglineEn: string;
  @ApiProperty() taglineZh: string;
}

export class PageHit {
  @ApiProperty({ enum: ['news', 'page'] }) kind: string;
  @ApiProperty() slug: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() titleZh: string;
  @ApiProperty({ type: String, nullable: true }) publishedAt: string | null;
}

export class BugHits {
  @ApiProperty({ type: [BugListItemView] }) items: BugListItemView[];
  @ApiProperty() more: boolean;
}
export class PackageHits {
  @ApiProperty({ type: [PackageHit] }) items: PackageHit[];
  @ApiProperty() more: boolean;
}
export class SigHits {
  @ApiProperty({ type: [SigHit] }) items: SigHit[];
  @ApiProperty() more: boolean;
}
export class ProposalHits {
  @ApiProperty({ type: [ProposalHit] }) items: ProposalHit[];
  @ApiProperty() more: boolean;
}

export class ReleaseHits {
  @ApiProperty({ type: [ReleaseHit] }) items: ReleaseHit[];
  @ApiProperty() more: boolean;
}
export class PageHits {
  @ApiProperty({ type: [PageHit], description: 'News posts and plain pages' }) items: PageHit[];
  @ApiProperty() more: boolean;
}

export class SiteSearchResult {
  @ApiProperty() q: string;
  @ApiProperty({ type: BugHits, nullable: true }) bugs: BugHits | null;
  @ApiProperty({ type: PackageHits, nullable: true }) packages: PackageHits | null;
  @ApiProperty({ type: SigHits, nullable: true }) sigs: SigHits | null;
  @ApiProperty({ type: ProposalHits, nullable: true }) proposals: ProposalHits | null;
  @ApiProperty({ type: ReleaseHits, nullable: true }) releases: ReleaseHits | null;
  @ApiProperty({ type: PageHits, nullable: true }) pages: PageHits | null;
}
