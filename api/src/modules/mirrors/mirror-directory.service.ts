import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { encodePath } from './download-path';
import { continentOf } from './mirror-geo';
import type { Bucket, Continent, MasterRepoEntity, MirrorContent } from './mirror.entity';

export interface ServingMirror {
  id: number;
  name: string;
  country: string;
  continent: Continent;
  bandwidthMbps: number;
  score: number | null;
  /** The base URL to send people to: https when it answered with a valid certificate, else http. */
  base: string;
  protocol: 'https' | 'http';
  bucket: Bucket;
  lagSeconds: number | null;
  lastSyncAt: Date | null;
  content: MirrorContent[];
  missing: Set<string>;
  freshRepos: Set<string>;
  weight: number;
}

export interface CatalogueFile {
  path: string;
  /** The path as it goes into a URL. */
  encoded: string;
  /** The image this file belongs to (itself, or the image a checksum / signature file describes). */
  artefactPath: string;
}

export interface Snapshot {
  at: number;
  mirrors: ServingMirror[];
  files: Map<string, CatalogueFile>;
  masterRepos: Map<string, MasterRepoEntity>;
  /** forFile() per image, computed on first use. */
  fileMirrors: Map<string, ServingMirror[]>;
  /** Rendered metalinks and mirror lists, per repository and country, for this snapshot's life. */
  documents: Map<string, string>;
  /** The weighted tiers a file's redirects draw from, per file and country. */
  pools: Map<string, Pool[]>;
}

/** Mirrors of one tier with their cumulative weights, to draw from in O(log n). */
export interface Pool {
  list: ServingMirror[];
  cumulative: Float64Array;
  total: number;
}

interface MirrorRow {
  id: number;
  name: string;
  country: string;
  continent: Continent;
  bandwidth_mbps: number;
  score: number | null;
  https_url: string | null;
  http_url: string | null;
  protocols_up: string[];
  tls_valid: boolean | null;
  bucket: Bucket;
  lag_seconds: number | null;
  last_sync_at: Date | null;
  content: MirrorContent[];
  missing_paths: string[];
  fresh_repos: string[];
}

/**
 * The in-memory view /download, /metalink and /mirrorlist answer from: the active mirrors that
 * answered their last probe, the published catalogue and the master's repomd.xml files. Re-read
 * at most every MIRROR_CACHE_SECONDS, so a redirect costs no database round trip.
 */
@Injectable()
export class MirrorDirectory {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  invalidate(): void {
    this.snapshot = null;
  }

  async current(): Promise<Snapshot> {
    const s = this.snapshot;
    if (s && Date.now() - s.at < this.config.mirrorCacheSeconds * 1000) return s;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /**
   * Without waiting: the snapshot if there is one (a stale one triggers a reload in the background
   * and is served meanwhile), else null. For the hot redirect path.
   */
  peek(): Snapshot | null {
    const s = this.snapshot;
    if (!s || Date.now() - s.at >= this.config.mirrorCacheSeconds * 1000) {
      this.loading ??= this.load().finally(() => (this.loading = null));
      this.loading.catch(() => undefined);
    }
    return this.config.mirrorCacheSeconds > 0 ? s : null;
  }

  private async load(): Promise<Snapshot> {
    const at = Date.now();
    const rows = await this.dataSource.query<MirrorRow[]>(
      `SELECT id, name, country, continent, bandwidth_mbps, score, https_url, http_url, protocols_up, tls_valid,
              bucket, lag_seconds, last_sync_at, content, missing_paths, fresh_repos
         FROM mirrors WHERE status = 'active' ORDER BY id`,
    );
    const mirrors: ServingMirror[] = [];
    for (const r of rows) {
      const https = r.https_url && r.protocols_up.includes('https') && r.tls_valid !== false;
      const http = r.http_url && r.protocols_up.includes('http');
      if (!https && !http) continue;
      mirrors.push({
        id: r.id,
        name: r.name,
        country: r.country,
        continent: r.continent,
        bandwidthMbps: r.bandwidth_mbps,
        score: r.score,
        base: (https ? r.https_url : r.http_url) as string,
        protocol: https ? 'https' : 'http',
        bucket: r.bucket,
        lagSeconds: r.lag_seconds,
        lastSyncAt: r.last_sync_at,
        content: r.content,
        missing: new Set(r.missing_paths),
        freshRepos: new Set(r.fresh_repos),
        // Arch's score is lower-better and unbounded; bandwidth is what the operator offers
        weight: r.bandwidth_mbps / (1 + Math.max(0, r.score ?? 10)),
      });
    }
    const files = new Map<string, CatalogueFile>();
    const artefacts = await this.dataSource.query<
      { path: string; checksum_path: string | null; signature_path: string | null }[]
    >(
      `SELECT a.path, a.checksum_path, a.signature_path FROM release_artefacts a
         JOIN releases r ON r.id = a.release_id WHERE r.status = 'published'`,
    );
    for (const a of artefacts) {
      files.set(a.path, { path: a.path, encoded: encodePath(a.path), artefactPath: a.path });
      for (const extra of [a.checksum_path, a.signature_path]) {
        if (extra && !files.has(extra))
          files.set(extra, { path: extra, encoded: encodePath(extra), artefactPath: a.path });
      }
    }
    const keys = await this.dataSource.query<MasterRepoEntity[]>(
      `SELECT repo_key AS "repoKey", size, timestamp::float8 AS timestamp, md5, sha1, sha256, sha512, fetched_at AS "fetchedAt"
         FROM mirror_master_repos`,
    );
    const snapshot: Snapshot = {
      at,
      mirrors,
      files,
      masterRepos: new Map(keys.map((k) => [k.repoKey, k])),
      fileMirrors: new Map(),
      documents: new Map(),
      pools: new Map(),
    };
    this.snapshot = snapshot;
    return snapshot;
  }

  /** Mirrors that may serve this catalogue file: fresh enough and not missing it. */
  forFile(s: Snapshot, file: CatalogueFile): ServingMirror[] {
    const key = `${file.artefactPath}\n${file.path}`;
    const known = s.fileMirrors.get(key);
    if (known) return known;
    const maxLag = this.config.mirrorStaleHours * 3600;
    const found = s.mirrors.filter(
      (m) =>
        m.content.includes('isos') &&
        m.lagSeconds !== null &&
        m.lagSeconds <= maxLag &&
        !m.missing.has(file.artefactPath) &&
        !m.missing.has(file.path),
    );
    s.fileMirrors.set(key, found);
    return found;
  }

  /** The country, continent and global tiers of the mirrors that may serve this file, memoised. */
  poolsFor(s: Snapshot, file: CatalogueFile, country: string | null): Pool[] {
    const key = `${file.artefactPath}\n${file.path}\n${country ?? ''}`;
    let pools = s.pools.get(key);
    if (!pools) {
      pools = tiersOf(this.forFile(s, file), country).map((list) => {
        const cumulative = new Float64Array(list.length);
        let total = 0;
        list.forEach((m, i) => (cumulative[i] = total += m.weight));
        return { list, cumulative, total };
      });
      s.pools.set(key, pools);
    }
    return pools;
  }

  /** Mirrors whose repomd.xml of this repository is the master's. */
  forRepo(s: Snapshot, key: string): ServingMirror[] {
    return s.mirrors.filter((m) => m.content.includes('repos') && m.freshRepos.has(key));
  }
}

/** Whether a mirror's base URL is the master's (a registered mirror may be the master itself). */
export function isMasterBase(base: string, master: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
    } catch {
      return u.replace(/\/+$/, '').toLowerCase();
    }
  };
  return norm(base) === norm(master);
}

/**
 * Best first: the client's country, then its continent, then everyone; inside a tier a weighted
 * random order (weight = bandwidth / (1 + score)), so load spreads the way operators offered it.
 * With `limit`, tiers after the one that fills it are not even ordered.
 */
export function rankMirrors(
  mirrors: ServingMirror[],
  country: string | null,
  limit = Infinity,
  random: () => number = Math.random,
): ServingMirror[] {
  const out: ServingMirror[] = [];
  for (const tier of tiersOf(mirrors, country)) {
    if (out.length >= limit) break;
    const keyed = tier.map((m) => ({ m, key: Math.pow(random() || 1e-9, 1 / Math.max(m.weight, 1e-6)) }));
    keyed.sort((a, b) => b.key - a.key || a.m.id - b.m.id);
    for (const x of keyed) {
      if (out.length >= limit) break;
      out.push(x.m);
    }
  }
  return out;
}

function tiersOf(mirrors: ServingMirror[], country: string | null): ServingMirror[][] {
  const continent = country ? continentOf(country) : null;
  const tiers: ServingMirror[][] = [[], [], []];
  for (const m of mirrors) {
    tiers[country && m.country === country ? 0 : continent && m.continent === continent ? 1 : 2].push(m);
  }
  return tiers;
}

/**
 * The first `limit` mirrors of a weighted random order over the pools (the same distribution as
 * rankMirrors), drawing by binary search on cumulative weights instead of ordering every mirror.
 */
export function drawMirrors(pools: Pool[], limit: number, random: () => number = Math.random): ServingMirror[] {
  const out: ServingMirror[] = [];
  for (const pool of pools) {
    const want = limit - out.length;
    if (want <= 0) break;
    if (pool.list.length <= want * 2) {
      out.push(...rankMirrors(pool.list, null, want, random));
      continue;
    }
    const taken = new Set<number>();
    for (let tries = 0; taken.size < want && tries < want * 16; tries++) {
      const r = random() * pool.total;
      let lo = 0;
      let hi = pool.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (pool.cumulative[mid] > r) hi = mid;
        else lo = mid + 1;
      }
      if (taken.has(lo)) continue;
      taken.add(lo);
      out.push(pool.list[lo]);
    }
  }
  return out;
}
