import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { sha256Hex } from '../../common/crypto';
import { ConfigError, loadConfig } from '../../config/config';
import { ClaService } from './cla.service';
import { DEFAULT_CLA } from './default-cla';
import type { AuditService } from '../audit/audit.service';

const service = (claFile: string, claVersion = '3') =>
  new ClaService(
    {} as DataSource,
    loadConfig({ NODE_ENV: 'test', CLA_FILE: claFile, CLA_VERSION: claVersion }),
    {} as AuditService,
  );

describe('the CLA text in force', () => {
  it('is the bundled agreement when CLA_FILE is not set', () => {
    const s = service('');
    s.onModuleInit();
    expect(s.current()).toEqual({ version: '3', sha256: sha256Hex(DEFAULT_CLA), text: DEFAULT_CLA });
  });

  it('is the Markdown file CLA_FILE names, hashed as read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cla-')), 'cla.md');
    writeFileSync(file, '# Our CLA\n\nYou grant us a licence.\n');
    const s = service(file, '2024.1');
    s.onModuleInit();
    expect(s.current()).toEqual({
      version: '2024.1',
      sha256: sha256Hex('# Our CLA\n\nYou grant us a licence.\n'),
      text: '# Our CLA\n\nYou grant us a licence.\n',
    });
  });

  it('refuses to start with a CLA_FILE that is missing or empty', () => {
    expect(() => service('/nonexistent/cla.md').onModuleInit()).toThrow(ConfigError);
    const file = join(mkdtempSync(join(tmpdir(), 'cla-')), 'empty.md');
    writeFileSync(file, '  \n');
    expect(() => service(file).onModuleInit()).toThrow(/CLA_FILE is empty/);
  });
});
