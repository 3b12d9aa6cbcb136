import { Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthedRequest, requestMeta } from '../../common/actor';
import { RequireRole } from '../../common/policy';
import { ExportView, ImportBodyDto, ImportQueryDto, ImportReportView } from './dto/sig-import.dto';
import { SigImportService } from './sig-import.service';

/** YAML content types this route reads as text (see SigsModule's middleware). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

@ApiTags('admin')
@RequireRole('admin')
@Controller('api/v1/admin/sigs')
export class SigImportController {
  constructor(private readonly imports: SigImportService) {}

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({
    type: ImportBodyDto,
    description:
      'JSON {files: [{name, content}]}, or the text of a sig-info.yaml / packages.yaml sent as application/yaml (several documents may be separated by ---)',
  })
  @ApiOkResponse({ type: ImportReportView, description: 'With problems, a dry run reports them; an apply is a 422' })
  import(@Req() req: AuthedRequest, @Query() q: ImportQueryDto): Promise<ImportReportView> {
    // the body is read raw: text for YAML, an object for JSON (validated by the service)
    return this.imports.import(req.actor as Actor, req.body as unknown, q.dryRun ?? false, requestMeta(req));
  }

  @Get('export')
  @ApiOkResponse({ type: ExportView })
  async export(): Promise<ExportView> {
    return { files: await this.imports.export() };
  }
}
