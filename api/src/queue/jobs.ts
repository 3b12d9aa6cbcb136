/**
 * Every queue and job the product runs, with its payload type. Producers and handlers both
 * import from here, so a renamed job breaks the build instead of silently piling up in Redis.
 */

export const QUEUES = {
  mail: 'mail',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface MailSendPayload {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** A verified Gitee Push Hook, reduced to what linking commits to bugs needs. */
export interface SyncGiteePushPayload {
  /** owner/name of the repository. */
  repo: string;
  /** The branch pushed to (refs/heads/ stripped). */
  branch: string;
  commits: { id: string; message: string; url: string; author: string }[];
}

export interface JobPayloads {
  'mail.send': MailSendPayload;
  'maintenance.purge-expired': Record<string, never>;
  'sigs.expiry-reminders': Record<string, never>;
  'bugs.term-stats': Record<string, never>;
  'bugs.needinfo-reminders': Record<string, never>;
  'bugs.watch-searches': Record<string, never>;
  'governance.open': { proposalId: number };
  'governance.close': { proposalId: number };
  'governance.tick': Record<string, never>;
  'programme.retention': Record<string, never>;
  'mirrors.import-release': { releaseId: number };
  'mirrors.probe-sweep': Record<string, never>;
  'sync.gitee-repos': Record<string, never>;
  'sync.gitee-repo': { fullName: string };
  'sync.gitee-push': SyncGiteePushPayload;
  'sync.builds-poll': Record<string, never>;
  /** A push to the community repository: re-read packages.yaml now. */
  'sync.community-file': { ref: string };
}
export type JobName = keyof JobPayloads;

/** Which queue each job runs on. */
export const JOB_QUEUE: { [K in JobName]: QueueName } = {
  'mail.send': QUEUES.mail,
  'maintenance.purge-expired': QUEUES.maintenance,
  'sigs.expiry-reminders': QUEUES.maintenance,
  'bugs.term-stats': QUEUES.maintenance,
  'bugs.needinfo-reminders': QUEUES.maintenance,
  'bugs.watch-searches': QUEUES.maintenance,
  'governance.open': QUEUES.maintenance,
  'governance.close': QUEUES.maintenance,
  'governance.tick': QUEUES.maintenance,
  'programme.retention': QUEUES.maintenance,
  'mirrors.import-release': QUEUES.maintenance,
  'mirrors.probe-sweep': QUEUES.maintenance,
  'sync.gitee-repos': QUEUES.maintenance,
  'sync.gitee-repo': QUEUES.maintenance,
  'sync.gitee-push': QUEUES.maintenance,
  'sync.builds-poll': QUEUES.maintenance,
  'sync.community-file': QUEUES.maintenance,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

export type JobOf<N extends JobName> = { name: N; payload: JobPayloads[N] };
export type AnyJob = { [N in JobName]: JobOf<N> }[JobName];

/** Retries with exponential backoff; failed jobs are kept for inspection in the dashboard. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: false,
};
