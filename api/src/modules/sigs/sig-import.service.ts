import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, RequestMeta } from '../../common/actor';
import { badRequest, DomainError } from '../../common/errors';
import { exportSigs, type ExportedFile, type ImportFile, type ImportReport, runImport } from './sig-import';

const MAX_FILES = 2000;

@Injectable()
export class SigImportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The request body: YAML text, or JSON `{files: [{name, content}]}`. */
  static filesFromBody(body: unknown): ImportFile[] {
    if (typeof body === 'string') {
      if (!body.trim()) throw badRequest('empty_body', 'Send the YAML as the request body.');
      return [{ name: 'request.yaml', content: body }];
    }
    const files = (body as { files?: unknown } | null)?.files;
    const shapeError = badRequest(
      'validation_failed',
      'Send YAML (Content-Type: application/yaml) or JSON {"files": [{"name", "content"}]}.',
      [{ field: 'files', message: 'must be a list of {name, content} strings' }],
    );
    if (!body || typeof body !== 'object' || Object.keys(body).some((k) => k !== 'files')) throw shapeError;
    if (!Array.isArray(files) || files.length === 0 || files.length > MAX_FILES) throw shapeError;
    return files.map((f: unknown) => {
      const o = f as Record<string, unknown> | null;
      if (!o || typeof o.name !== 'string' || typeof o.content !== 'string' || Object.keys(o).length !== 2) {
        throw shapeError;
      }
      return { name: o.name.slice(0, 300), content: o.content };
    });
  }

  async import(actor: Actor, body: unknown, dryRun: boolean, meta: RequestMeta): Promise<ImportReport> {
    const report = await runImport(this.dataSource, SigImportService.filesFromBody(body), {
      dryRun,
      actorId: actor.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    if (!dryRun && !report.valid) {
      throw new DomainError(
        'unprocessable',
        'import_invalid',
        `The import has ${report.problems.length} problem(s); nothing was applied.`,
        report.problems.map((p) => ({ field: `${p.file}${p.path ? `: ${p.path}` : ''}`, message: p.message })),
      );
    }
    return report;
  }

  export(): Promise<ExportedFile[]> {
    return exportSigs(this.dataSource.manager);
  }
}
