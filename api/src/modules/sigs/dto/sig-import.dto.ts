import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'Only report what would change (default false: apply)', default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
  )
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportFileDto {
  @ApiProperty({ example: 'sig/kernel/sig-info.yaml' }) name: string;
  @ApiProperty({ description: 'YAML (or JSON) text' }) content: string;
}

export class ImportBodyDto {
  @ApiProperty({ type: [ImportFileDto] }) files: ImportFileDto[];
}

export class ImportProblemView {
  @ApiProperty() file: string;
  @ApiProperty({ description: 'Where in the file, e.g. sigs[3].packages[0]' }) path: string;
  @ApiProperty() message: string;
}

export class ImportChangeView {
  @ApiProperty({
    enum: ['sig.create', 'sig.update', 'member.add', 'member.promote', 'package.create', 'package.move'],
  })
  kind: string;
  @ApiProperty({ description: 'SIG slug or package name' }) target: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
}

export class ImportSummaryView {
  @ApiProperty() sigs: number;
  @ApiProperty() packages: number;
  @ApiProperty() changes: number;
}

export class ImportReportView {
  @ApiProperty() dryRun: boolean;
  @ApiProperty() applied: boolean;
  @ApiProperty({ description: 'false when there are problems; then nothing is applied' }) valid: boolean;
  @ApiProperty({ type: [ImportProblemView] }) problems: ImportProblemView[];
  @ApiProperty({ type: [ImportProblemView] }) warnings: ImportProblemView[];
  @ApiProperty({ type: [ImportChangeView] }) changes: ImportChangeView[];
  @ApiProperty({ type: ImportSummaryView }) summary: ImportSummaryView;
}

export class ExportView {
  @ApiProperty({ type: [ImportFileDto], description: 'packages.yaml and sig/<slug>/sig-info.yaml' })
  files: ImportFileDto[];
}
