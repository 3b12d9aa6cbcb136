import type { BuildState } from './build.entity';
import { decodeResponse, encodeCall, kwargs, type XmlRpcValue } from './xmlrpc';

/** One build as any build system reports it. */
export interface BuildRecord {
  externalId: number;
  packageName: string;
  nvr: string;
  state: BuildState;
  owner: string;
  /** Creation time, seconds since the epoch (the incremental cursor). */
  createdTs: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  taskId: number | null;
  /** Filled by `details` (one or two more calls per build). */
  target?: string | null;
  sourceUrl?: string | null;
  arches?: string[];
}

/**
 * What the build sync needs from a build system. Koji implements it; a Jenkins gate reporting
 * PR checks could implement it too, and the sync would not change.
 */
export interface BuildSystemAdapter {
  readonly system: string;
  /** Builds created after `createdAfter` (seconds), oldest first, at most `limit`. */
  buildsCreatedAfter(createdAfter: number, limit: number): Promise<BuildRecord[]>;
  /** The build as it is now (a BUILDING build moves on); null when the system no longer has it. */
  build(externalId: number): Promise<BuildRecord | null>;
  /** Target, source and architectures, from the build's task. */
  details(b: BuildRecord): Promise<Required<Pick<BuildRecord, 'target' | 'sourceUrl' | 'arches'>>>;
  /** Ids of the builds tagged into a tag. */
  tagged(tag: string): Promise<number[]>;
  taskUrl(taskId: number): string;
  logUrl(b: { taskId: number | null; packageName: string; nvr: string }): string | null;
}

/** Koji's build states, by number. */
const KOJI_STATES: BuildState[] = ['BUILDING', 'COMPLETE', 'DELETED', 'FAILED', 'CANCELED'];

type Struct = Record<string, XmlRpcValue>;

const num = (x: XmlRpcValue | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: XmlRpcValue | undefined): string => (typeof x === 'string' ? x : '');
const date = (ts: XmlRpcValue | undefined): Date | null => {
  const n = num(ts);
  return n === null ? null : new Date(n * 1000);
};

/** Koji's hub over XML-RPC: listBuilds, getBuild, getTaskInfo, getTaskChildren, listTagged. */
export class KojiAdapter implements BuildSystemAdapter {
  readonly system = 'koji';

  constructor(
    private readonly hubUrl: string,
    private readonly webUrl: string,
    private readonly timeoutMs = 30_000,
    private readonly onRequest: (method: string) => void = () => undefined,
  ) {}

  async call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    this.onRequest(method);
    const res = await fetch(this.hubUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', 'user-agent': 'opencloudos-hub-sync' },
      body: encodeCall(method, params),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`koji ${method}: HTTP ${res.status}`);
    return decodeResponse(text);
  }

  private record(b: Struct): BuildRecord {
    const id = num(b.build_id) ?? num(b.id);
    const state = KOJI_STATES[num(b.state) ?? -1];
    if (id === null || !state || !str(b.nvr)) throw new Error('koji returned a build without id, state or nvr');
    return {
      externalId: id,
      packageName: str(b.package_name) || str(b.name),
      nvr: str(b.nvr),
      state,
      owner: str(b.owner_name),
      createdTs: num(b.creation_ts) ?? 0,
      startedAt: date(b.start_ts) ?? date(b.creation_ts),
      finishedAt: date(b.completion_ts),
      taskId: num(b.task_id),
    };
  }

  async buildsCreatedAfter(createdAfter: number, limit: number): Promise<BuildRecord[]> {
    const rows = await this.call('listBuilds', [kwargs({ createdAfter, queryOpts: { order: 'creation_ts', limit } })]);
    if (!Array.isArray(rows)) throw new Error('koji listBuilds: not a list');
    return rows.map((r) => this.record(r as Struct));
  }

  async build(externalId: number): Promise<BuildRecord | null> {
    const b = await this.call('getBuild', [externalId]);
    return b && typeof b === 'object' && !Array.isArray(b) && !(b instanceof Date) ? this.record(b) : null;
  }

  async details(b: BuildRecord) {
    if (b.taskId === null) return { target: null, sourceUrl: null, arches: [] };
    const task = (await this.call('getTaskInfo', [b.taskId, kwargs({ request: true })])) as Struct | null;
    const request = Array.isArray(task?.request) ? task.request : [];
    const children = await this.call('getTaskChildren', [b.taskId]);
    const arches = Array.isArray(children)
      ? [
          ...new Set(
            children
              .map((c) => c as Struct)
              .filter((c) => str(c.method) === 'buildArch')
              .map((c) => str(c.arch))
              .filter(Boolean),
          ),
        ].sort()
      : [];
    return { sourceUrl: str(request[0]) || null, target: str(request[1]) || null, arches };
  }

  async tagged(tag: string): Promise<number[]> {
    const rows = await this.call('listTagged', [tag]);
    if (!Array.isArray(rows)) throw new Error('koji listTagged: not a list');
    return rows.map((r) => num((r as Struct).build_id)).filter((n): n is number => n !== null);
  }

  taskUrl(taskId: number): string {
    return `${this.webUrl}/taskinfo?taskID=${taskId}`;
  }

  logUrl(b: { taskId: number | null }): string | null {
    return b.taskId === null ? null : `${this.webUrl}/taskinfo?taskID=${b.taskId}#logs`;
  }
}

/** `git+https://gitee.com/src-opencloudos-rpms/openssl?#3f2a…` → the commit. */
export function sourceCommit(url: string | null | undefined): string | null {
  const m = /#([0-9a-f]{7,64})$/i.exec(url ?? '');
  return m ? m[1].toLowerCase() : null;
}

/** dist-oc9 → 9, dist-oc8.6 → 8.6; otherwise the target itself. */
export function releaseOf(target: string | null): string | null {
  if (!target) return null;
  const m = /oc(\d+(?:\.\d+)?)/.exec(target);
  return (m ? m[1] : target).slice(0, 32);
}
