import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { trimString } from '../../../common/validation';
import { LOCALES, type Locale, USERNAME_PATTERN } from '../../users/user.entity';

export class RegisterDto {
  @ApiProperty({ example: 'alice@example.com' })
  @Transform(trimString)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({
    example: 'alice',
    description: '3–32 characters: lower-case letters, digits, _ and -, starting with a letter',
  })
  @Transform(trimString)
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3–32 characters of a-z, 0-9, _ or -, starting with a letter',
  })
  username: string;

  @ApiProperty({ minLength: 10, maxLength: 1024 })
  @IsString()
  @Length(10, 1024, { message: 'password must be at least 10 characters long' })
  password: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class TokenDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  token: string;
}

export class EmailDto {
  @ApiProperty()
  @Transform(trimString)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  token: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @Length(10, 1024, { message: 'password must be at least 10 characters long' })
  password: string;
}

export class LoginDto {
  @ApiProperty({ description: 'Username or e-mail' })
  login: string;

  @ApiProperty()
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'Empty for accounts that never set a password (Gitee-only)' })
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @Length(10, 1024, { message: 'newPassword must be at least 10 characters long' })
  newPassword: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ nullable: true, maxLength: 100, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string | null;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

export class GiteeLinkView {
  @ApiProperty()
  login: string;
}

export class MeResponse {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty({ enum: LOCALES }) locale: Locale;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty({
    type: [String],
    description: 'admin, security, triager, and membership roles such as sig:kernel:lead',
  })
  roles: string[];
  @ApiProperty({ type: GiteeLinkView, nullable: true }) gitee: GiteeLinkView | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class RegisteredResponse {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty() email: string;
}

export class LoginResponse {
  @ApiProperty({ type: MeResponse }) user: MeResponse;
  @ApiProperty({ description: 'Send as x-csrf-token on unsafe requests made with the session cookie' })
  csrfToken: string;
}

export class SessionResponse {
  @ApiProperty({ type: MeResponse, nullable: true }) user: MeResponse | null;
  @ApiProperty({ type: String, nullable: true }) csrfToken: string | null;
}

export class VerifiedResponse {
  @ApiProperty() verified: boolean;
}

export class ProvidersResponse {
  @ApiProperty({ description: 'Whether login with Gitee is configured' }) gitee: boolean;
}
