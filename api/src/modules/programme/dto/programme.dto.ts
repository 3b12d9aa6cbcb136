import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CursorQueryDto } from '../../../common/pagination';
import { trimString } from '../../../common/validation';
import {
  APPLICATION_STATUSES,
  COMPANY_SIZES,
  NEEDS,
  TIMELINES,
  type ApplicationStatus,
  type CompanySize,
  type Need,
  type Timeline,
} from '../programme.entity';

export class ApplicationDto {
  @ApiProperty() @Transform(trimString) @IsString() @Length(2, 200) company: string;
  @ApiProperty({ enum: COMPANY_SIZES }) @IsIn(COMPANY_SIZES) companySize: CompanySize;
  @ApiProperty({ example: 'Manufacturing' }) @Transform(trimString) @IsString() @Length(2, 100) industry: string;
  @ApiProperty({ example: 'CentOS 7.9, CentOS 8.5' })
  @Transform(trimString)
  @IsString()
  @Length(2, 300)
  currentOs: string;
  @ApiProperty({ minimum: 0, maximum: 10_000_000 }) @IsInt() @Min(0) @Max(10_000_000) serverCount: number;
  @ApiProperty({ enum: TIMELINES }) @IsIn(TIMELINES) timeline: Timeline;
  @ApiProperty({ enum: NEEDS, isArray: true })
  @IsArray()
  @ArrayMaxSize(NEEDS.length)
  @ArrayUnique()
  @IsIn(NEEDS, { each: true })
  needs: Need[];
  @ApiProperty() @Transform(trimString) @IsString() @Length(1, 100) contactName: string;
  @ApiProperty() @Transform(trimString) @IsEmail() @MaxLength(254) contactEmail: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimString)
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string | null;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) message?: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: 5000 }) @Transform(trimString) @IsString() @Length(1, 5000) body: string;
  @ApiPropertyOptional({ description: 'Reviewers only: hidden from the applicant', default: false })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}

export class ProgrammeDecisionDto {
  @ApiProperty({ enum: ['in_review', 'accepted', 'declined'] })
  @IsIn(['in_review', 'accepted', 'declined'])
  status: 'in_review' | 'accepted' | 'declined';
  @ApiPropertyOptional({ description: 'A message to the applicant', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  message?: string;
}

export class ApplicationQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;
}

export class ProgrammeNoteView {
  @ApiProperty() id: number;
  @ApiProperty({ type: String, nullable: true }) author: string | null;
  @ApiProperty() body: string;
  @ApiProperty() internal: boolean;
  @ApiProperty({ enum: APPLICATION_STATUSES, nullable: true }) statusChange: ApplicationStatus | null;
  @ApiProperty() createdAt: string;
}

export class ApplicationSummaryView {
  @ApiProperty() id: number;
  @ApiProperty() company: string;
  @ApiProperty({ enum: COMPANY_SIZES }) companySize: CompanySize;
  @ApiProperty() industry: string;
  @ApiProperty() serverCount: number;
  @ApiProperty({ enum: TIMELINES }) timeline: Timeline;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status: ApplicationStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ApplicationDetailView extends ApplicationSummaryView {
  @ApiProperty() currentOs: string;
  @ApiProperty({ enum: NEEDS, isArray: true }) needs: Need[];
  @ApiProperty() contactName: string;
  @ApiProperty() contactEmail: string;
  @ApiProperty({ type: String, nullable: true }) contactPhone: string | null;
  @ApiProperty() message: string;
  @ApiProperty({ type: String, nullable: true }) applicant: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: [ProgrammeNoteView] }) notes: ProgrammeNoteView[];
  @ApiProperty({ description: 'The viewer reviews applications' }) reviewer: boolean;
}

export class ApplicationPage {
  @ApiProperty({ type: [ApplicationSummaryView] }) items: ApplicationSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ProgrammeViewerView {
  @ApiProperty({ description: 'The viewer reviews applications' }) reviewer: boolean;
  @ApiProperty({ type: [ApplicationSummaryView], description: "The viewer's own applications" })
  mine: ApplicationSummaryView[];
}

export class ProgrammeInfoView {
  @ApiProperty({ description: "Days after the decision when an application's personal data is erased" })
  retentionDays: number;
}
