import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { trimString } from '../../common/validation';

export class CreateTokenDto {
  @ApiProperty({ example: 'python-bugzilla on my laptop', maxLength: 100 })
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  name: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Omit for a token that does not expire' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class TokenResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the secret' }) prefix: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
}

export class CreatedTokenResponse extends TokenResponse {
  @ApiProperty({ description: 'The secret. Shown only in this response.' }) token: string;
}
