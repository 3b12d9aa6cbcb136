import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DataSource, In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { OutboxService } from '../../queue/outbox.service';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { archScore, bucketFor } from './mirror-buckets';
import { MirrorDirectory } from './mirror-directory.service';
import { type Agents, FetchError, fetchOnce, tcpReachable } from './mirror-http';
import { ARCHES, type Bucket, MasterRepoEntity, MirrorEntity, ReleaseEntity } from './mirror.entity';

export const REPOS = ['BaseOS', 'AppStream', 'extras'] as const;
export type RepoName = (typeof REPOS)[number];
export const repoKey = (release: string, repo: string, arch: string): string => `${release}/${repo}/${arch}`;
export const repomdPath = (key: string): string => {
  const [release, repo, arch] = key.split('/');
  return `opencloudos/${release}/${repo}/${arch}/os/repodata/repomd.xml`;
};
const HISTORY_DAYS = 30;
const SCORE_DAYS = 7;

/** `<revision>` of a repomd.xml, else its newest `<timestamp>` (both Unix seconds). */
export function repomdTime(xml: string): number | null {
  const rev = /<revision>\s*(\d{9,11})\s*<\/revision>/.exec(xml);
  if (rev) return Number(rev[1]);
  let best: number | null = null;
  for (const m of xml.matchAll(/<timestamp>\s*(\d{9,11})\s*<\/timestamp>/g)) best = Math.max(best ?? 0, Number(m[1]));
  return best;
}

/** A TIME / lastsync file: a Unix timestamp, possibly with a fraction or a trailing newline. */
export function parseTimeFile(text: string): number | null {
  const m = /^\s*(\d{9,11})(\.\d+)?\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

export interface SweepContext {
  masterTime: number | null;
  masterRepos: MasterRepoEntity[];
  artefacts: { path: string; size: number }[];
  now: Date;
}

export interface ProbeOutcome {
  ok: boolean;
  bucket: Bucket;
  lagSeconds: number | null;
  latencyMs: number | null;
  durationMs: number;
  completion: number;
  protocolsUp: string[];
  tlsValid: boolean | null;
  mirrorTime: number | null;
  missingPaths: string[];
  freshRepos: string[];
  error: string | null;
}

export interface SweepResult {
  probed: number;
  ok: number;
  failed: number;
  disabled: number;
  enabled: number;
  durationMs: number;
}

const explain = (err: unknown): string =>
  err instanceof FetchError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);

/**
 * Checks mirrors against the master: reachability per protocol, TLS, latency, the TIME file, each
 * package repository's repomd.xml and the current images (HEAD, size). Keeps the history, derives
 * the bucket and score, and disables / re-enables mirrors (telling their operators).
 */
@Injectable()
export class MirrorProbeService {
  private readonly logger = new Logger(MirrorProbeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    // present in the API process (admins' "probe now"), absent in the workers
    @Optional() private readonly directory?: MirrorDirectory,
  ) {}

  /** What every probe of a sweep compares against: fetched once from the master. */
  async context(): Promise<SweepContext> {
    const timeout = this.config.mirrorProbeTimeoutMs;
    const master = this.config.mirrorMasterUrl;
    let masterTime: number | null = null;
    try {
      const res = await fetchOnce(`${master}/TIME`, { timeoutMs: timeout, maxBytes: 1024 });
      if (res.status === 200) masterTime = parseTimeFile(res.body.toString('utf8'));
    } catch (err) {
      this.logger.warn(`master TIME: ${explain(err)}`);
    }
    const releases = await this.dataSource
      .getRepository(ReleaseEntity)
      .find({ where: { status: 'published', family: 'opencloudos' } });
    const majors = [...new Set(releases.map((r) => r.version.split('.')[0]))];
    const keys = majors.flatMap((major) => REPOS.flatMap((repo) => ARCHES.map((arch) => repoKey(major, repo, arch))));
    const masterRepos: MasterRepoEntity[] = [];
    await Promise.all(
      keys.map(async (key) => {
        try {
          const res = await fetchOnce(`${master}/${repomdPath(key)}`, { timeoutMs: timeout });
          if (res.status !== 200) return;
          const hash = (alg: string) => createHash(alg).update(res.body).digest('hex');
          masterRepos.push(
            Object.assign(new MasterRepoEntity(), {
              repoKey: key,
              size: res.body.length,
              timestamp: repomdTime(res.body.toString('utf8')) ?? Math.floor(Date.now() / 1000),
              md5: hash('md5'),
              sha1: hash('sha1'),
              sha256: hash('sha256'),
              sha512: hash('sha512'),
            }),
          );
        } catch (err) {
          this.logger.warn(`master ${key}: ${explain(err)}`);
        }
      }),
    );
    // the master's answer is what metalinks advertise; a repository it no longer has disappears
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(MasterRepoEntity);
      if (masterRepos.length) await repo.upsert(masterRepos, ['repoKey']);
      const gone = keys.filter((k) => !masterRepos.some((r) => r.repoKey === k));
      if (gone.length) await repo.delete({ repoKey: In(gone) });
    });
    const artefacts = await this.dataSource.query<{ path: string; size: string }[]>(
      `SELECT a.path, a.size FROM release_artefacts a JOIN releases r ON r.id = a.release_id
        WHERE r.status = 'published' AND r.is_latest ORDER BY a.path`,
    );
    return {
      masterTime,
      masterRepos,
      artefacts: artefacts.map((a) => ({ path: a.path, size: Number(a.size) })),
      now: new Date(),
    };
  }

  /** Probes one mirror within MIRROR_PROBE_TIMEOUT_MS; never throws. */
  async probe(mirror: MirrorEntity, ctx: SweepContext): Promise<ProbeOutcome> {
    // one keep-alive connection pool per probe: a mirror's dozen requests share a few sockets
    const agents = {
      http: new HttpAgent({ keepAlive: true, maxSockets: 4 }),
      https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }),
    };
    try {
      return await this.probeWith(mirror, ctx, agents);
    } finally {
      agents.http.destroy();
      agents.https.destroy();
    }
  }

  private async probeWith(mirror: MirrorEntity, ctx: SweepContext, agents: Agents): Promise<ProbeOutcome> {
    const started = Date.now();
    const deadline = started + this.config.mirrorProbeTimeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const errors: string[] = [];
    const protocolsUp: string[] = [];
    let tlsValid: boolean | null = null;
    let latencyMs: number | null = null;
    let mirrorTime: number | null = null;
    let checks = 0;
    let passed = 0;
    const timeOf = async (proto: 'https' | 'http', base: string) => {
      try {
        const res = await fetchOnce(`${base}/TIME`, { timeoutMs: left(), maxBytes: 1024, agents });
        if (proto === 'https') tlsValid = true;
        if (res.status >= 500) {
          errors.push(`${proto}: HTTP ${res.status}`);
          return;
        }
        protocolsUp.push(proto);
        latencyMs = latencyMs === null ? res.ms : Math.min(latencyMs, res.ms);
        if (res.status === 200) mirrorTime ??= parseTimeFile(res.body.toString('utf8'));
        else errors.push(`${proto}: TIME answered ${res.status}`);
      } catch (err) {
        if (proto === 'https' && err instanceof FetchError && err.tls) tlsValid = false;
        errors.push(`${proto}: ${explain(err)}`);
      }
    };
    await Promise.all([
      mirror.httpsUrl ? timeOf('https', mirror.httpsUrl) : null,
      mirror.httpUrl ? timeOf('http', mirror.httpUrl) : null,
      mirror.rsyncUrl
        ? tcpReachable(mirror.rsyncUrl, Math.min(left(), 5000)).then((up) => {
            if (up) protocolsUp.push('rsync');
            else errors.push('rsync: no answer');
          })
        : null,
    ]);
    checks++;
    if (mirrorTime !== null) passed++;
    const base = protocolsUp.includes('https') ? mirror.httpsUrl : protocolsUp.includes('http') ? mirror.httpUrl : null;
    const missingPaths: string[] = [];
    const freshRepos: string[] = [];
    let repoLag: number | null = null;
    if (base) {
      if (mirror.content.includes('repos')) {
        await Promise.all(
          ctx.masterRepos.map(async (master) => {
            checks++;
            try {
              const res = await fetchOnce(`${base}/${repomdPath(master.repoKey)}`, { timeoutMs: left(), agents });
              if (res.status !== 200) return;
              if (createHash('sha256').update(res.body).digest('hex') === master.sha256) {
                freshRepos.push(master.repoKey);
                passed++;
                return;
              }
              const theirs = repomdTime(res.body.toString('utf8'));
              const lag = theirs === null ? null : Math.max(1, master.timestamp - theirs);
              if (lag !== null) repoLag = Math.max(repoLag ?? 0, lag);
            } catch (err) {
              errors.push(`${master.repoKey}: ${explain(err)}`);
            }
          }),
        );
      }
      if (mirror.content.includes('isos')) {
        // a few at a time: a mirror is not to be flooded with HEADs
        const queue = [...ctx.artefacts];
        const worker = async () => {
          for (let a = queue.shift(); a; a = queue.shift()) {
            checks++;
            try {
              const res = await fetchOnce(`${base}/${a.path}`, { method: 'HEAD', timeoutMs: left(), agents });
              if (res.status === 200 && Number(res.headers['content-length']) === a.size) passed++;
              else missingPaths.push(a.path);
            } catch {
              missingPaths.push(a.path);
            }
          }
        };
        await Promise.all([worker(), worker(), worker(), worker()]);
      }
    } else {
      checks +=
        (mirror.content.includes('repos') ? ctx.masterRepos.length : 0) +
        (mirror.content.includes('isos') ? ctx.artefacts.length : 0);
      missingPaths.push(...ctx.artefacts.map((a) => a.path));
    }
    const reference = ctx.masterTime ?? Math.floor(ctx.now.getTime() / 1000);
    const timeLag = mirrorTime === null ? null : Math.max(0, reference - mirrorTime);
    let lagSeconds: number | null = timeLag;
    if (repoLag !== null) lagSeconds = Math.max(lagSeconds ?? 0, repoLag);
    if (lagSeconds === null && freshRepos.length && freshRepos.length === ctx.masterRepos.length) lagSeconds = 0;
    const reachable = protocolsUp.some((p) => p === 'https' || p === 'http');
    missingPaths.sort();
    freshRepos.sort();
    return {
      ok: reachable && mirrorTime !== null,
      bucket: bucketFor(reachable, lagSeconds),
      lagSeconds: reachable ? lagSeconds : null,
      latencyMs,
      durationMs: Date.now() - started,
      completion: checks ? passed / checks : 0,
      protocolsUp: protocolsUp.sort(),
      tlsValid,
      mirrorTime,
      missingPaths,
      freshRepos,
      error: errors.length ? errors.join('; ').slice(0, 500) : null,
    };
  }

  /**
   * Stores a sweep's probes, recomputes the scores and applies auto-disable / re-enable, in one
   * transaction of a handful of statements whatever the number of mirrors. A mirror whose status
   * someone changed meanwhile (an admin disabling it) is left as they set it.
   */
  async recordAll(
    probed: { mirror: MirrorEntity; outcome: ProbeOutcome }[],
    ctx: SweepContext,
  ): Promise<{ disabled: number; enabled: number }> {
    if (!probed.length) return { disabled: 0, enabled: 0 };
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO mirror_probes (mirror_id, probed_at, ok, bucket, lag_seconds, latency_ms, duration_ms, completion, protocols_up, tls_valid, error)
         SELECT x.mirror_id, $2::timestamptz, x.ok, x.bucket, x.lag_seconds, x.latency_ms, x.duration_ms, x.completion, x.protocols_up, x.tls_valid, x.error
           FROM jsonb_to_recordset($1::jsonb) AS x(mirror_id int, ok boolean, bucket varchar, lag_seconds int, latency_ms int,
                duration_ms int, completion real, protocols_up text[], tls_valid boolean, error varchar)`,
        [
          JSON.stringify(
            probed.map(({ mirror, outcome: o }) => ({
              mirror_id: mirror.id,
              ok: o.ok,
              bucket: o.bucket,
              lag_seconds: o.lagSeconds,
              latency_ms: o.latencyMs,
              duration_ms: o.durationMs,
              completion: o.completion,
              protocols_up: o.protocolsUp,
              tls_valid: o.tlsValid,
              error: o.error,
            })),
          ),
          ctx.now,
        ],
      );
      const rows = await m.query<
        {
          mirror_id: number;
          delay: string | null;
          mean: string | null;
          spread: string | null;
          completion: string | null;
        }[]
      >(
        `SELECT mirror_id,
                avg(lag_seconds) FILTER (WHERE ok) / 3600.0 AS delay,
                avg(duration_ms) / 1000.0 AS mean,
                coalesce(stddev_pop(duration_ms), 0) / 1000.0 AS spread,
                avg(ok::int) AS completion
           FROM mirror_probes
          WHERE mirror_id = ANY($1) AND probed_at > $2::timestamptz - make_interval(days => $3)
          GROUP BY mirror_id`,
        [probed.map((p) => p.mirror.id), ctx.now, SCORE_DAYS],
      );
      const scoreOf = new Map(
        rows.map((s) => [
          s.mirror_id,
          archScore({
            delayHours: s.delay === null ? null : Number(s.delay),
            durationMean: Number(s.mean ?? 0),
            durationStddev: Number(s.spread ?? 0),
            completion: Number(s.completion ?? 0),
          }),
        ]),
      );
      const changes: {
        mirror: MirrorEntity;
        outcome: ProbeOutcome;
        change: 'disabled' | 'enabled';
        failures: number;
      }[] = [];
      const updates = probed.map(({ mirror, outcome: o }) => {
        const failures = o.ok ? 0 : mirror.consecutiveFailures + 1;
        let status = mirror.status;
        let autoDisabled = mirror.autoDisabled;
        let disabledReason = mirror.disabledReason;
        if (mirror.status === 'active' && failures >= this.config.mirrorDisableAfter) {
          status = 'disabled';
          autoDisabled = true;
          disabledReason = `auto: ${o.error ?? 'failing'}`.slice(0, 300);
          changes.push({ mirror, outcome: o, change: 'disabled', failures });
        } else if (mirror.status === 'disabled' && mirror.autoDisabled && o.ok) {
          status = 'active';
          autoDisabled = false;
          disabledReason = null;
          changes.push({ mirror, outcome: o, change: 'enabled', failures });
        }
        return {
          id: mirror.id,
          expected_status: mirror.status,
          status,
          auto_disabled: autoDisabled,
          disabled_reason: disabledReason,
          bucket: o.bucket,
          score: scoreOf.get(mirror.id) ?? null,
          lag_seconds: o.lagSeconds,
          latency_ms: o.latencyMs,
          tls_valid: o.tlsValid,
          protocols_up: o.protocolsUp,
          missing_paths: o.missingPaths,
          fresh_repos: o.freshRepos,
          last_error: o.error,
          consecutive_failures: failures,
          last_sync_at: o.mirrorTime === null ? null : new Date(o.mirrorTime * 1000).toISOString(),
        };
      });
      const [written] = await m.query<[{ id: number }[], number]>(
        `UPDATE mirrors m SET status = x.status, auto_disabled = x.auto_disabled, disabled_reason = x.disabled_reason,
                bucket = x.bucket, score = x.score, lag_seconds = x.lag_seconds, latency_ms = x.latency_ms, tls_valid = x.tls_valid,
                protocols_up = x.protocols_up, missing_paths = x.missing_paths, fresh_repos = x.fresh_repos,
                last_error = x.last_error, consecutive_failures = x.consecutive_failures,
                last_sync_at = coalesce(x.last_sync_at, m.last_sync_at), last_probe_at = $2::timestamptz, updated_at = now()
           FROM jsonb_to_recordset($1::jsonb) AS x(id int, expected_status varchar, status varchar, auto_disabled boolean,
                disabled_reason varchar, bucket varchar, score real, lag_seconds int, latency_ms int, tls_valid boolean,
                protocols_up text[], missing_paths text[], fresh_repos text[], last_error varchar, consecutive_failures int,
                last_sync_at timestamptz)
          WHERE m.id = x.id AND m.status = x.expected_status
          RETURNING m.id`,
        [JSON.stringify(updates), ctx.now],
      );
      // a mirror whose status someone changed meanwhile kept theirs: nothing to tell
      const kept = new Set(written.map((r) => r.id));
      const applied = changes.filter((c) => kept.has(c.mirror.id));
      for (const c of applied) await this.tellOperator(m, c.mirror, c.change, c.outcome, c.failures);
      return {
        disabled: applied.filter((c) => c.change === 'disabled').length,
        enabled: applied.filter((c) => c.change === 'enabled').length,
      };
    });
  }

  private async tellOperator(
    m: import('typeorm').EntityManager,
    mirror: MirrorEntity,
    change: 'disabled' | 'enabled',
    o: ProbeOutcome,
    failures: number,
  ): Promise<void> {
    const title =
      change === 'disabled'
        ? l10n(
            `Mirror ${mirror.name} was disabled after ${failures} failed checks`,
            `镜像 ${mirror.name} 连续 ${failures} 次检查失败，已被停用`,
          )
        : l10n(`Mirror ${mirror.name} is back in service`, `镜像 ${mirror.name} 已恢复服务`);
    const body =
      change === 'disabled'
        ? l10n(
            `Last error: ${o.error ?? 'unknown'}. It is re-enabled automatically once a check succeeds.`,
            `最近的错误：${o.error ?? '未知'}。检查恢复成功后会自动重新启用。`,
          )
        : l10n(
            'The latest check succeeded; downloads are sent to it again.',
            '最近一次检查成功，下载请求会重新分配给它。',
          );
    if (mirror.ownerId) {
      await this.notifications.notify(m, mirror.ownerId, {
        kind: `mirror.${change}`,
        title,
        body,
        link: '/mirrors',
        email: true,
      });
    } else {
      await this.outbox.enqueue(m, 'mail.send', {
        to: mirror.contactEmail,
        subject: typeof title === 'string' ? title : title.en,
        text: typeof body === 'string' ? body : `${body.en}\n\n${body['zh-CN']}`,
      });
    }
  }

  /** Probes every approved mirror (and the auto-disabled ones, to notice recovery), a bounded number at a time. */
  async sweep(): Promise<SweepResult> {
    const started = Date.now();
    const ctx = await this.context();
    const mirrors = await this.dataSource
      .getRepository(MirrorEntity)
      .createQueryBuilder('m')
      .where(`m.status = 'active' OR (m.status = 'disabled' AND m.auto_disabled)`)
      .orderBy('m.id')
      .getMany();
    const queue = [...mirrors];
    const probed: { mirror: MirrorEntity; outcome: ProbeOutcome }[] = [];
    const worker = async () => {
      for (let mirror = queue.shift(); mirror; mirror = queue.shift()) {
        probed.push({ mirror, outcome: await this.probe(mirror, ctx) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.mirrorProbeConcurrency, mirrors.length) }, worker));
    const changed = await this.recordAll(probed, ctx);
    const ok = probed.filter((p) => p.outcome.ok).length;
    const result: SweepResult = { probed: probed.length, ok, failed: probed.length - ok, ...changed, durationMs: 0 };
    await this.dataSource.query(`DELETE FROM mirror_probes WHERE probed_at < now() - make_interval(days => $1)`, [
      HISTORY_DAYS,
    ]);
    this.directory?.invalidate();
    result.durationMs = Date.now() - started;
    this.logger.log(`probe sweep: ${JSON.stringify(result)}`);
    return result;
  }
}
