import { Controller, Get, Head, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { notFound } from '../../common/errors';
import { Public } from '../../common/policy';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { downloadPathOf } from './download-path';
import { redirectFor } from './download-redirect';
import { CountryQueryDto, RepoQueryDto } from './dto/mirrors.dto';
import {
  isMasterBase,
  MirrorDirectory,
  rankMirrors,
  type ServingMirror,
  type Snapshot,
} from './mirror-directory.service';
import { ClientCountry } from './mirror-geoip';
import { repoKey } from './mirror-probe.service';
import type { MasterRepoEntity } from './mirror.entity';

/** dnf needs a handful; MirrorManager-sized lists would cost every client kilobytes for nothing. */
const REPO_MIRRORS = 30;

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * What dnf and browsers talk to: /download/<path> redirects to the best mirror that has the file,
 * /metalink and /mirrorlist list fresh mirrors of a package repository. Answered from the
 * in-memory directory, never rendered by the web app.
 */
@ApiTags('downloads')
@Controller()
export class DownloadController {
  constructor(
    private readonly directory: MirrorDirectory,
    private readonly country: ClientCountry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** ?country= wins; then GeoIP; then the trusted proxy's header (see ClientCountry). */
  private countryOf(req: Request, override: string | undefined): string | null {
    return this.country.of(req, override ?? null);
  }

  @Get('download/*path')
  @Head('download/*path')
  @Public()
  @ApiFoundResponse({ description: 'Redirect to the best mirror with the file; Link: rel=duplicate alternatives' })
  async download(@Req() req: Request, @Res() res: Response, @Query() q: CountryQueryDto): Promise<void> {
    const snapshot = await this.directory.current();
    const r = redirectFor(
      this.directory,
      snapshot,
      downloadPathOf(req.originalUrl),
      this.countryOf(req, q.country),
      this.config.mirrorMasterUrl,
    );
    if (!r) throw notFound('File');
    res.setHeader('Cache-Control', 'private, no-store');
    if (r.link) res.setHeader('Link', r.link);
    res.setHeader('X-Mirror', r.mirror);
    res.redirect(302, r.location);
  }

  private resolveRepo(snapshot: { masterRepos: Map<string, MasterRepoEntity> }, q: RepoQueryDto): MasterRepoEntity {
    let release = q.release?.split('.')[0];
    if (!release) {
      const majors = [...snapshot.masterRepos.keys()].map((k) => Number(k.split('/')[0]));
      release = majors.length ? String(Math.max(...majors)) : '9';
    }
    const master = snapshot.masterRepos.get(repoKey(release, q.repo, q.arch));
    if (!master) throw notFound('Repository');
    return master;
  }

  private repoBase(base: string, key: string): string {
    const [release, repo, arch] = key.split('/');
    return `${base}/opencloudos/${release}/${repo}/${arch}/os`;
  }

  private fresh(req: Request, q: RepoQueryDto, snapshot: Snapshot) {
    const master = this.resolveRepo(snapshot, q);
    const country = this.countryOf(req, q.country);
    const ranked = rankMirrors(this.directory.forRepo(snapshot, master.repoKey), country, REPO_MIRRORS);
    return { master, ranked, cacheKey: `${master.repoKey}|${country ?? ''}` };
  }

  /**
   * One document per repository and country for the snapshot's life (MIRROR_CACHE_SECONDS): the
   * weighted shuffle is drawn once per period rather than per request, as MirrorManager's cache does.
   */
  private cached(snapshot: Snapshot, key: string, render: () => string): string {
    let body = snapshot.documents.get(key);
    if (body === undefined) {
      body = render();
      snapshot.documents.set(key, body);
    }
    return body;
  }

  @Get('metalink')
  @Public()
  @ApiProduces('application/metalink+xml')
  @ApiOkResponse({
    description: 'MirrorManager-compatible metalink (v3) for dnf: fresh mirrors best first, the master last',
  })
  async metalink(@Req() req: Request, @Res() res: Response, @Query() q: RepoQueryDto): Promise<void> {
    const snapshot = await this.directory.current();
    const { master, ranked, cacheKey } = this.fresh(req, q, snapshot);
    const body = this.cached(snapshot, `metalink|${cacheKey}`, () => this.renderMetalink(master, ranked));
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.type('application/metalink+xml').send(body);
  }

  private renderMetalink(master: MasterRepoEntity, ranked: ServingMirror[]): string {
    const url = (m: Pick<ServingMirror, 'base' | 'protocol' | 'country'>, preference: number) => {
      const href = `${this.repoBase(m.base, master.repoKey)}/repodata/repomd.xml`;
      return `    <url protocol="${m.protocol}" type="${m.protocol}" location="${m.country}" preference="${preference}">${xml(href)}</url>`;
    };
    const masterUrl = new URL(this.config.mirrorMasterUrl);
    const lines = ranked.map((m, i) => url(m, Math.max(1, 100 - i)));
    // the master last, unless it is registered as a mirror and ranked already
    if (!ranked.some((m) => isMasterBase(m.base, this.config.mirrorMasterUrl)))
      lines.push(
        url(
          {
            base: this.config.mirrorMasterUrl,
            protocol: masterUrl.protocol === 'https:' ? 'https' : 'http',
            country: 'CN',
          },
          1,
        ),
      );
    return `<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" pubdate="${new Date().toUTCString()}" generator="opencloudos-hub" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="repomd.xml">
   <mm0:timestamp>${master.timestamp}</mm0:timestamp>
   <size>${master.size}</size>
   <verification>
    <hash type="md5">${master.md5}</hash>
    <hash type="sha1">${master.sha1}</hash>
    <hash type="sha256">${master.sha256}</hash>
    <hash type="sha512">${master.sha512}</hash>
   </verification>
   <resources maxconnections="1">
${lines.join('\n')}
   </resources>
  </file>
 </files>
</metalink>
`;
  }

  @Get('mirrorlist')
  @Public()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Base URLs of fresh mirrors, one per line, best first, the master last' })
  async mirrorlist(@Req() req: Request, @Res() res: Response, @Query() q: RepoQueryDto): Promise<void> {
    const snapshot = await this.directory.current();
    const { master, ranked, cacheKey } = this.fresh(req, q, snapshot);
    const body = this.cached(snapshot, `mirrorlist|${cacheKey}`, () => {
      const masterBase = this.config.mirrorMasterUrl;
      const bases = ranked.map((m) => m.base);
      const lines = (bases.some((b) => isMasterBase(b, masterBase)) ? bases : [...bases, masterBase]).map(
        (base) => `${this.repoBase(base, master.repoKey)}/`,
      );
      return `${lines.join('\n')}\n`;
    });
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.type('text/plain').send(body);
  }
}
