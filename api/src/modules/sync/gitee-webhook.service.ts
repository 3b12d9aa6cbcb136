import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { badRequest, conflict, DomainError, unauthenticated } from '../../common/errors';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { SyncGiteePushPayload } from '../../queue/jobs';
import { OutboxService } from '../../queue/outbox.service';
import { QueueRegistry } from '../../queue/queue-registry.service';
import type { WebhookAckView } from './dto/sync.dto';
import { verifyGiteeToken } from './webhook-signature';

const REPO_EVENTS = new Set(['Push Hook', 'Tag Push Hook', 'Merge Request Hook']);
const MAX_COMMITS = 200;
const FULL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;
const SHA = /^[0-9a-f]{7,64}$/;

const header = (headers: Record<string, string | string[] | undefined>, name: string): string => {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/**
 * Gitee's webhook: authenticated by X-Gitee-Token (signature or password form) over a fresh
 * X-Gitee-Timestamp, each delivery accepted once. Work goes to the outbox (a repository refresh,
 * and for pushes the commit → bug links), never done inline, so Gitee gets its answer at once.
 */
@Injectable()
export class GiteeWebhookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly queues: QueueRegistry,
  ) {}

  async receive(headers: Record<string, string | string[] | undefined>, body: unknown): Promise<WebhookAckView> {
    const secret = this.config.giteeWebhookSecret;
    if (!secret) throw new DomainError('unavailable', 'webhooks_disabled', 'Gitee webhooks are not configured here.');
    const token = header(headers, 'x-gitee-token');
    const timestamp = header(headers, 'x-gitee-timestamp');
    if (!token || !/^\d{10,16}$/.test(timestamp))
      throw unauthenticated('X-Gitee-Token and X-Gitee-Timestamp (milliseconds) are required.');
    if (!verifyGiteeToken(secret, timestamp, token)) throw unauthenticated('X-Gitee-Token does not match.');
    const ms = Number(timestamp) < 1e12 ? Number(timestamp) * 1000 : Number(timestamp);
    if (Math.abs(Date.now() - ms) > this.config.giteeWebhookMaxAgeSeconds * 1000)
      throw unauthenticated('X-Gitee-Timestamp is too old or in the future.');
    const event = header(headers, 'x-gitee-event');
    if (!event) throw badRequest('webhook_event_missing', 'X-Gitee-Event is required.');
    const parsed = REPO_EVENTS.has(event) ? this.parse(event, body) : null;

    // Remembered for longer than a timestamp stays fresh: a replay is refused, not re-run.
    const key = `${this.config.queuePrefix}:sync:webhook:${createHash('sha256').update(`${timestamp}\n${token}`).digest('hex')}`;
    let fresh: string | null;
    try {
      fresh = await this.queues.redis.set(key, '1', 'EX', this.config.giteeWebhookMaxAgeSeconds * 2 + 60, 'NX');
    } catch {
      throw new DomainError('unavailable', 'webhook_store_down', 'Cannot check for replays right now; retry later.');
    }
    if (fresh !== 'OK') throw conflict('webhook_replayed', 'This delivery was already received.');

    if (!parsed) return { event, repository: null, queued: [] };
    const community = this.isCommunityPush(event, parsed);
    // repositories outside the synced organisations are not packages: acknowledged, nothing done
    if (!community && !this.config.syncGiteeOrgs.includes(parsed.repo.split('/')[0]))
      return { event, repository: parsed.repo, queued: [] };
    const queued: string[] = [];
    try {
      if (community) await this.queueCommunity(parsed.push?.branch ?? '', timestamp, queued);
      else await this.queueWork(parsed, timestamp, queued);
    } catch (e) {
      // not recorded: let Gitee's redelivery through instead of refusing it as a replay
      await this.queues.redis.del(key).catch(() => undefined);
      throw e;
    }
    return { event, repository: parsed.repo, queued };
  }

  /** A push to the branch of SYNC_COMMUNITY_REPO that packages.yaml is read from. */
  private isCommunityPush(event: string, parsed: { repo: string; push: SyncGiteePushPayload | null }): boolean {
    const repo = this.config.syncCommunityRepo;
    return (
      event === 'Push Hook' &&
      !!repo &&
      parsed.repo.toLowerCase() === repo.toLowerCase() &&
      (parsed.push?.branch ?? '') === this.config.syncCommunityRef
    );
  }

  private async queueCommunity(ref: string, timestamp: string, queued: string[]): Promise<void> {
    // one read per delivery (a replayed delivery never gets here)
    await this.outbox.enqueue(null, 'sync.community-file', { ref }, { jobId: `sync.community-file.${timestamp}` });
    queued.push('sync.community-file');
  }

  private async queueWork(
    parsed: { repo: string; push: SyncGiteePushPayload | null },
    timestamp: string,
    queued: string[],
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.outbox.enqueue(
        m,
        'sync.gitee-repo',
        { fullName: parsed.repo },
        { jobId: `sync.gitee-repo.${parsed.repo.replace('/', ':')}.${timestamp}` },
      );
      queued.push('sync.gitee-repo');
      if (parsed.push && parsed.push.commits.length) {
        await this.outbox.enqueue(m, 'sync.gitee-push', parsed.push, {
          jobId: `sync.gitee-push.${parsed.repo.replace('/', ':')}.${timestamp}`,
        });
        queued.push('sync.gitee-push');
      }
    });
  }

  private parse(event: string, body: unknown): { repo: string; push: SyncGiteePushPayload | null } {
    const b = body as Record<string, unknown> | null;
    const invalid = (field: string, message: string) =>
      badRequest('webhook_invalid', 'The webhook payload is not what Gitee sends.', [{ field, message }]);
    if (!b || typeof b !== 'object' || Array.isArray(b)) throw invalid('body', 'must be a JSON object');
    const repository = (b.repository ?? b.project) as Record<string, unknown> | undefined;
    const repo = str(repository?.full_name) ?? str(repository?.path_with_namespace);
    if (!repo || !FULL_NAME.test(repo)) throw invalid('repository.full_name', 'must be owner/name');
    if (event !== 'Push Hook') return { repo, push: null };
    const ref = str(b.ref);
    if (!ref || !ref.startsWith('refs/heads/')) throw invalid('ref', 'must be refs/heads/<branch>');
    if (!Array.isArray(b.commits)) throw invalid('commits', 'must be a list');
    const commits = b.commits.slice(0, MAX_COMMITS).map((c: unknown, i: number) => {
      const o = c as Record<string, unknown> | null;
      const id = str(o?.id);
      const url = str(o?.url) ?? '';
      if (!id || !SHA.test(id)) throw invalid(`commits[${i}].id`, 'must be a commit sha');
      if (!/^https?:\/\//.test(url)) throw invalid(`commits[${i}].url`, 'must be an http(s) URL');
      const author = o?.author as Record<string, unknown> | undefined;
      return {
        id,
        message: (str(o?.message) ?? '').slice(0, 10_000),
        url: url.slice(0, 500),
        author: (str(author?.username) ?? str(author?.name) ?? '').slice(0, 100),
      };
    });
    return { repo, push: { repo, branch: ref.slice('refs/heads/'.length).slice(0, 100), commits } };
  }
}
