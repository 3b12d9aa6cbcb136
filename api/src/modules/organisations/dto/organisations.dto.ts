import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { HTTP_URL, trimString } from '../../../common/validation';
import { ORGANISATION_STATUSES, type OrganisationStatus } from '../organisation.entity';

export class OrganisationApplicationDto {
  @ApiProperty({ example: 'Example Cloud Ltd.' }) @Transform(trimString) @IsString() @Length(2, 200) name: string;
  @ApiProperty({ example: 'https://www.example.com' })
  @Transform(trimString)
  @IsUrl(HTTP_URL)
  @MaxLength(300)
  website: string;
  @ApiProperty({ description: 'Markdown: who you are, what you bring', maxLength: 5000 })
  @Transform(trimString)
  @IsString()
  @Length(10, 5000)
  description: string;
  @ApiProperty() @Transform(trimString) @IsString() @Length(1, 100) contactName: string;
  @ApiProperty() @Transform(trimString) @IsEmail() @MaxLength(254) contactEmail: string;
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Transform(trimString)
  @Matches(/^\+?[0-9 ()-]{5,40}$/, { message: 'contactPhone must be a phone number' })
  contactPhone?: string | null;
}

export class NominationDto {
  @ApiPropertyOptional({ description: 'Why the council should admit them (Markdown)', maxLength: 5000 })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @MaxLength(5000)
  statement?: string;
}

export class MemberOrganisationView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() website: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, nullable: true, description: 'Username of the representative' })
  representative: string | null;
  @ApiProperty() memberSince: string;
}

export class MemberOrganisationList {
  @ApiProperty({ type: [MemberOrganisationView] }) items: MemberOrganisationView[];
}

export class OrganisationContactsView {
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class DeclineApplicationDto {
  @ApiProperty({ description: 'Why, for the applicant (not an organisation, a duplicate, spam …)', maxLength: 2000 })
  @Transform(trimString)
  @IsString()
  @Length(3, 2000)
  reason: string;
}

export class OrganisationApplicationView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() website: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: ORGANISATION_STATUSES }) status: OrganisationStatus;
  @ApiProperty({ type: String, nullable: true }) applicant: string | null;
  @ApiProperty({ type: String, nullable: true }) representative: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who nominated it' }) nominatedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The member organisation that nominated it' })
  nominatingOrganisation: string | null;
  @ApiProperty() nominationStatement: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The council vote' }) proposalId: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The vote: draft, discussion, voting, closed, withdrawn' })
  proposalStatus: string | null;
  @ApiProperty({
    type: OrganisationContactsView,
    nullable: true,
    description: 'Only for the applicant, council members and admins',
  })
  contacts: OrganisationContactsView | null;
  @ApiProperty() canNominate: boolean;
  @ApiProperty() canWithdraw: boolean;
  @ApiProperty({ description: 'Admins and council officers may decline an application before it is nominated' })
  canDecline: boolean;
  @ApiProperty({ description: 'Why it was declined before a nomination (empty otherwise)' }) declineReason: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
}

export class OrganisationViewerView {
  @ApiProperty({ description: 'Council member or admin: sees every application and its contacts' })
  council: boolean;
  @ApiProperty({ description: 'Represents a member organisation (or admin): may nominate' }) nominator: boolean;
  @ApiProperty({ type: [OrganisationApplicationView], description: 'Your applications' })
  mine: OrganisationApplicationView[];
  @ApiProperty({
    type: [OrganisationApplicationView],
    description: 'Council members, admins and representatives: applications waiting or being voted on',
  })
  pending: OrganisationApplicationView[];
}
