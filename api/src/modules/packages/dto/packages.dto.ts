import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
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
import { HTTP_URL, trimString } from '../../../common/validation';
import { SIG_SLUG } from '../../sigs/sig.entity';
import { TRANSFER_STATUSES, type TransferStatus } from '../package-transfer.entity';

export class PackageListQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ description: 'Substring of the package name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Owning SIG slug' })
  @IsOptional()
  @Matches(SIG_SLUG, { message: 'sig must be a SIG slug' })
  sig?: string;
}

export class UpdatePackageDto {
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  upstreamUrl?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['oc8', 'oc9'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, { each: true, message: 'branches must be branch names' })
  branches?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Gitee logins' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  reviewers?: string[];
}

export class CreatePackageDto extends UpdatePackageDto {
  @ApiProperty({ example: 'openssl', description: 'The Gitee repository name' })
  @Transform(trimString)
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/, {
    message: 'name must be a repository name (letters, digits, . _ + -)',
  })
  name: string;

  @ApiProperty({ description: 'Slug of the owning SIG' })
  @Matches(SIG_SLUG, { message: 'sig must be a SIG slug' })
  sig: string;
}

export class TransferRequestDto {
  @ApiProperty({ description: 'Slug of the SIG that should own the package' })
  @Matches(SIG_SLUG, { message: 'toSig must be a SIG slug' })
  toSig: string;

  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class TransferQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES }) @IsOptional() @IsIn(TRANSFER_STATUSES) status?: TransferStatus;
}

export class SigRefView {
  @ApiProperty() slug: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
}

/** What the sync workers last read from Gitee about the package's repository. */
export class PackageGiteeView {
  @ApiProperty({ example: 'src-opencloudos-rpms' }) org: string;
  @ApiProperty({ type: String, nullable: true, example: 'master' }) defaultBranch: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pushedAt: Date | null;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Gone from Gitee since' })
  removedAt: Date | null;
}

export class PackageView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, nullable: true }) upstreamUrl: string | null;
  @ApiProperty({ type: [String] }) branches: string[];
  @ApiProperty({ type: [String] }) reviewers: string[];
  @ApiProperty({ type: SigRefView }) sig: SigRefView;
  @ApiProperty({ type: PackageGiteeView, nullable: true, description: 'null until the sync has seen the repository' })
  gitee: PackageGiteeView | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class PackagePage {
  @ApiProperty({ type: [PackageView] }) items: PackageView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class TransferView {
  @ApiProperty() id: number;
  @ApiProperty() package: string;
  @ApiProperty({ type: SigRefView }) from: SigRefView;
  @ApiProperty({ type: SigRefView }) to: SigRefView;
  @ApiProperty({ type: String, nullable: true }) requestedBy: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status: TransferStatus;
  @ApiProperty({ type: String, nullable: true }) fromApprovedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fromApprovedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) toApprovedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) toApprovedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class TransferPage {
  @ApiProperty({ type: [TransferView] }) items: TransferView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PackageDetailView extends PackageView {
  @ApiProperty({ type: [TransferView], description: 'Ownership history, newest first' }) transfers: TransferView[];
}
