import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest, notFound } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MirrorDirectory } from './mirror-directory.service';
import { fetchOnce } from './mirror-http';
import { ARCHES, type Arch, ReleaseArtefactEntity, ReleaseEntity, type Variant } from './mirror.entity';

/** Hrefs of an HTTP autoindex page (nginx, Apache, lighttpd): entries only, no sort links or parents. */
export function parseAutoindex(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\s[^>]*href="([^"?#]+)"/gi)) {
    let href = m[1];
    try {
      href = decodeURIComponent(href);
    } catch {
      continue;
    }
    if (href.startsWith('/') || href.startsWith('..') || href.includes('://') || href === './') continue;
    const name = href.replace(/^\.\//, '');
    if (name && !name.slice(0, -1).includes('/')) out.add(name);
  }
  return [...out];
}

/** `SHA256 (file) = hex` (BSD, CHECKSUM files) and `hex  file` / `hex *file` (GNU, .sha256 files). */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const bsd = /^SHA256\s*\((.+)\)\s*=\s*([0-9a-fA-F]{64})\s*$/.exec(line.trim());
    if (bsd) {
      out.set(bsd[1], bsd[2].toLowerCase());
      continue;
    }
    const gnu = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (gnu) out.set(gnu[2].trim(), gnu[1].toLowerCase());
  }
  return out;
}

/** What kind of image a file name is, or null for files that are not downloads (checksums, logs). */
export function variantOf(name: string): Variant | null {
  const n = name.toLowerCase();
  if (n.endsWith('.iso')) {
    for (const v of ['everything', 'dvd', 'minimal', 'netinst', 'boot'] as const) if (n.includes(v)) return v;
    return null;
  }
  if (/\.(qcow2|raw\.xz|vhd|vmdk)$/.test(n)) return 'cloud';
  if (/(container|docker).*\.tar(\.xz|\.gz)?$/.test(n)) return 'container';
  return null;
}

const SUBDIRS = ['isos', 'images'];
const CHECKSUM_FILES = ['CHECKSUM', 'checksum.txt', 'SHA256SUMS'];
const SIGNATURE_SUFFIXES = ['.asc', '.gpg', '.sig'];

export interface ImportResult {
  artefacts: number;
  added: number;
  updated: number;
  removed: number;
}

/**
 * Reads a release's directory tree on the master mirror (autoindex pages) and its checksum files,
 * and makes the release's artefact rows say exactly that. Running it again changes nothing.
 */
@Injectable()
export class ReleaseImportService {
  private readonly logger = new Logger(ReleaseImportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly directory?: MirrorDirectory,
  ) {}

  private url(path: string): string {
    return `${this.config.mirrorMasterUrl}/${path}`;
  }

  private async list(path: string): Promise<string[] | null> {
    const res = await fetchOnce(this.url(`${path}/`), { timeoutMs: 30_000, maxBytes: 4 * 1024 * 1024 });
    if (res.status === 404) return null;
    if (res.status !== 200) throw badRequest('master_unavailable', `The master answered ${res.status} for ${path}/.`);
    return parseAutoindex(res.body.toString('utf8'));
  }

  private async text(path: string): Promise<string> {
    const res = await fetchOnce(this.url(path), { timeoutMs: 30_000 });
    if (res.status !== 200) throw badRequest('master_unavailable', `The master answered ${res.status} for ${path}.`);
    return res.body.toString('utf8');
  }

  private async size(path: string): Promise<number> {
    const res = await fetchOnce(this.url(path), { method: 'HEAD', timeoutMs: 30_000 });
    const len = Number(res.headers['content-length']);
    if (res.status !== 200 || !Number.isFinite(len)) {
      throw badRequest('master_unavailable', `The master answered ${res.status} for HEAD ${path}.`);
    }
    return len;
  }

  async importRelease(releaseId: number): Promise<ImportResult> {
    const release = await this.dataSource.getRepository(ReleaseEntity).findOneBy({ id: releaseId });
    if (!release) throw notFound('Release');
    const found: Omit<ReleaseArtefactEntity, 'id' | 'updatedAt' | 'release'>[] = [];
    for (const sub of SUBDIRS) {
      const arches = await this.list(`${release.path}/${sub}`);
      if (!arches) continue;
      for (const entry of arches) {
        const arch = entry.replace(/\/$/, '') as Arch;
        if (!entry.endsWith('/') || !ARCHES.includes(arch)) continue;
        const dir = `${release.path}/${sub}/${arch}`;
        const files = (await this.list(dir)) ?? [];
        const names = new Set(files);
        const shared = new Map<string, string>();
        let sharedFile: string | null = null;
        for (const f of CHECKSUM_FILES) {
          if (!names.has(f)) continue;
          sharedFile = f;
          for (const [k, v] of parseChecksums(await this.text(`${dir}/${f}`))) shared.set(k, v);
        }
        const sharedSig = sharedFile
          ? (SIGNATURE_SUFFIXES.map((s) => sharedFile + s).find((n) => names.has(n)) ?? null)
          : null;
        for (const name of files) {
          const variant = variantOf(name);
          if (!variant) continue;
          let sha256 = shared.get(name) ?? null;
          let checksumPath = sha256 && sharedFile ? `${dir}/${sharedFile}` : null;
          let signaturePath = sha256 && sharedSig ? `${dir}/${sharedSig}` : null;
          if (names.has(`${name}.sha256`)) {
            const own = parseChecksums(await this.text(`${dir}/${name}.sha256`));
            sha256 = own.get(name) ?? [...own.values()][0] ?? sha256;
            checksumPath = `${dir}/${name}.sha256`;
            const sig = SIGNATURE_SUFFIXES.map((s) => `${name}.sha256${s}`).find((n) => names.has(n));
            signaturePath = sig ? `${dir}/${sig}` : null;
          }
          found.push({
            releaseId: release.id,
            arch,
            variant,
            path: `${dir}/${name}`,
            size: await this.size(`${dir}/${name}`),
            sha256,
            checksumPath,
            signaturePath,
          });
        }
      }
    }
    const result = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ReleaseArtefactEntity);
      const before = new Map((await repo.findBy({ releaseId: release.id })).map((a) => [a.path, a]));
      let added = 0;
      let updated = 0;
      for (const a of found) {
        const old = before.get(a.path);
        before.delete(a.path);
        if (!old) {
          // a path another release owned moves here (re-organised tree); the unique key decides
          await repo.upsert(a, ['path']);
          added++;
        } else if (
          old.size !== a.size ||
          old.sha256 !== a.sha256 ||
          old.checksumPath !== a.checksumPath ||
          old.signaturePath !== a.signaturePath ||
          old.variant !== a.variant ||
          old.arch !== a.arch
        ) {
          await repo.update({ id: old.id }, a);
          updated++;
        }
      }
      if (before.size) await repo.delete([...before.values()].map((a) => a.id));
      await m.getRepository(ReleaseEntity).update({ id: release.id }, { importedAt: new Date() });
      return { artefacts: found.length, added, updated, removed: before.size };
    });
    this.directory?.invalidate();
    this.logger.log(`imported ${release.family} ${release.version}: ${found.length} artefacts`);
    return result;
  }
}
