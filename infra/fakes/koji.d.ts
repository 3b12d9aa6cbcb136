// Types of koji.js (plain CommonJS so that it runs as a process without a build step).

/** Koji's numeric build states. */
export declare const KOJI_STATE: {
  readonly BUILDING: 0;
  readonly COMPLETE: 1;
  readonly DELETED: 2;
  readonly FAILED: 3;
  readonly CANCELED: 4;
};

export interface FakeBuild {
  id: number;
  name: string;
  version: string;
  release: string;
  state: number;
  owner: string;
  taskId: number;
  target: string;
  commit: string;
  arches: string[];
  createdTs: number;
  completedTs: number | null;
  tags: string[];
}

export declare class FakeKoji {
  readonly builds: FakeBuild[];
  readonly calls: string[];
  /** The next N calls answer HTTP 500. */
  failNext: number;
  /** The next N answers are cut off half-way. */
  truncateNext: number;
  /** The next N calls answer 429 with Retry-After. */
  rateLimitNext: number;
  latencyMs: number;
  port: number;
  get hubUrl(): string;
  start(port?: number, host?: string): Promise<this>;
  stop(): Promise<void>;
  add(name: string, opts?: Partial<Omit<FakeBuild, 'id' | 'name'>>): FakeBuild;
  seed(names: string[], opts?: { seed?: number; targets?: string[]; startTs?: number }): FakeBuild[];
  buildJson(b: FakeBuild): Record<string, unknown>;
}

export declare function parseCall(xml: string): { method: string; params: unknown[] };
