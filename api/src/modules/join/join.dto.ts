import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Equals, IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { trimString } from '../../common/validation';

export class ClaView {
  @ApiProperty({ example: '1.0' }) version: string;
  @ApiProperty({ description: 'SHA-256 of the text, hex' }) sha256: string;
  @ApiProperty({ description: 'Markdown' }) text: string;
}

export class ClaSignatureView {
  @ApiProperty() version: string;
  @ApiProperty() sha256: string;
  @ApiProperty() fullName: string;
  @ApiProperty() signedAt: string;
}

export class ClaStatusView {
  @ApiProperty({ description: 'The version in force' }) version: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ description: 'Whether you accepted exactly this version and text' }) signed: boolean;
  @ApiProperty({
    type: ClaSignatureView,
    nullable: true,
    description: 'The signature of the current text, else your latest one',
  })
  signature: ClaSignatureView | null;
}

export class ClaSignDto {
  @ApiProperty({ description: 'The version you read' }) @IsString() @Length(1, 32) version: string;
  @ApiProperty({ description: 'The SHA-256 of the text you read' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  sha256: string;
  @ApiProperty({ description: 'Your full (legal) name, as your signature' })
  @Transform(trimString)
  @IsString()
  @Length(2, 100)
  fullName: string;
  @ApiProperty({ description: 'Must be true: you accept the text' })
  @IsBoolean()
  @Equals(true, { message: 'agree must be true' })
  agree: boolean;
}

export class ClaStatusQueryDto {
  @ApiPropertyOptional({ description: 'A Gitee login (as CI bots know contributors)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/)
  gitee?: string;
  @ApiPropertyOptional({ description: 'Or a hub username' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{2,31}$/)
  username?: string;
}

export class ClaPublicStatusView {
  @ApiPropertyOptional() gitee?: string;
  @ApiPropertyOptional() username?: string;
  @ApiProperty({ description: 'Signed the version in force' }) signed: boolean;
  @ApiProperty() version: string;
  @ApiProperty({ description: 'Where to sign' }) signUrl: string;
}

export class FirstBugsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class FirstBugView {
  @ApiProperty() id: number;
  @ApiProperty() summary: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ type: String, nullable: true }) component: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The SIG the bug is routed to' }) sig: string | null;
  @ApiProperty() createdAt: string;
}

export class FirstBugsView {
  @ApiProperty({ type: [String], description: 'The keywords that make a first good bug (FIRST_BUG_KEYWORDS)' })
  keywords: string[];
  @ApiProperty({ type: [FirstBugView] }) items: FirstBugView[];
}
