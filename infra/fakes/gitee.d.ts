// Types of gitee.js (plain CommonJS so that it runs as a process without a build step).
import type { Server } from 'node:http';

/** A repository as Gitee API v5 returns it (the fields the sync reads, plus a few for realism). */
export interface FakeRepo {
  id: number;
  org: string;
  path: string;
  description: string;
  defaultBranch: string;
  branches: string[];
  pushedAt: string;
  status: string;
  private: boolean;
}

export interface FakeGiteeFaults {
  /** The next N requests answer 429 with Retry-After. */
  rateLimit429?: { count: number; retryAfter: number };
  /** The next N requests answer 403 with X-RateLimit-Remaining: 0 and X-RateLimit-Reset (epoch seconds). */
  rateLimit403?: { count: number; resetInSeconds: number };
  /** Every request answers 429 with Retry-After until this time (epoch ms): a storm. */
  rateLimitStorm?: { until: number; retryAfter: number };
  /** Every request for this list page answers 500 (until cleared). */
  failPage?: number;
  /** This list page drops the connection without an answer (a network error). */
  dropPage?: number;
  /** This list page returns fewer repositories than it should. */
  truncatePage?: number;
  /** This list page answers only after `ms`. */
  slowPage?: { page: number; ms: number };
  /** Added latency per request. */
  latencyMs?: number;
}

export interface FakeGiteeUser {
  id: number;
  login: string;
  name: string;
  email: string | null;
}

export interface PushHookInput {
  repo: string;
  branch: string;
  commits: { id: string; message: string }[];
}

export declare class FakeGiteeApi {
  readonly orgs: Map<string, FakeRepo[]>;
  readonly requests: string[];
  /** How many requests a rate-limit fault refused (429/403). */
  refused: number;
  /** Files for the contents API, by `owner/repo:path` (any ref). */
  readonly files: Map<string, string>;
  faults: FakeGiteeFaults;
  /** When set, requests without this access_token get 401. */
  token: string | null;
  /** OAuth2 application, the user who consents at /oauth/authorize, or a user who denies. */
  oauth: { clientId: string; clientSecret: string; nextUser: FakeGiteeUser; deny: boolean };
  port: number;
  readonly server: Server;
  get url(): string;
  get apiUrl(): string;
  start(port?: number, host?: string): Promise<this>;
  stop(): Promise<void>;
  generate(org: string, count: number, prefix?: string): FakeRepo[];
  seedDistribution(org: string, count: number, seed?: number): FakeRepo[];
  repo(org: string, path: string): FakeRepo;
  push(org: string, path: string, branches?: string[]): void;
  remove(org: string, path: string): void;
  count(prefix: string): number;
  repoJson(r: FakeRepo): Record<string, unknown>;
}

export declare function giteeSignature(secret: string, timestamp: string): string;
export declare function pushHookPayload(input: PushHookInput): Record<string, unknown>;
export declare function sendPushHook(
  hookUrl: string,
  secret: string,
  input: PushHookInput,
  opts?: { timestamp?: string; mode?: 'signature' | 'password' },
): Promise<{ status: number; body: string }>;
