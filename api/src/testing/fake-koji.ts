import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { decodeCall, encodeFault, encodeResponse, type XmlRpcValue } from '../modules/sync/xmlrpc';

/** Koji's numeric build states. */
export const KOJI_STATE = { BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 } as const;

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

type Struct = Record<string, XmlRpcValue>;

/**
 * A loopback Koji hub (`/kojihub`, XML-RPC) with listBuilds (createdAfter + queryOpts order/limit),
 * getBuild, getTaskInfo (request = [source, target, opts]), getTaskChildren (buildArch tasks) and
 * listTagged, answering with Koji's field names. Calls are logged; `failNext` answers 500s.
 */
export class FakeKoji {
  readonly builds: FakeBuild[] = [];
  readonly calls: string[] = [];
  failNext = 0;
  private nextId = 5000;
  private clock = 1_764_000_000;
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get hubUrl(): string {
    return `http://127.0.0.1:${this.port}/kojihub`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A new build of `name` for `target` (tagged into the target's tag when complete). */
  add(name: string, opts: Partial<Omit<FakeBuild, 'id' | 'name'>> = {}): FakeBuild {
    const id = this.nextId++;
    this.clock += 60;
    const state = opts.state ?? KOJI_STATE.COMPLETE;
    const target = opts.target ?? 'dist-oc9';
    const b: FakeBuild = {
      id,
      name,
      version: opts.version ?? '1.0',
      release: opts.release ?? `${id - 4999}.${target.replace('dist-', '')}`,
      state,
      owner: opts.owner ?? 'kojiadmin',
      taskId: opts.taskId ?? id * 10,
      target,
      commit: opts.commit ?? id.toString(16).padStart(40, '0'),
      arches: opts.arches ?? ['aarch64', 'x86_64'],
      createdTs: opts.createdTs ?? this.clock,
      completedTs: state === KOJI_STATE.BUILDING ? null : (opts.completedTs ?? this.clock + 30),
      tags: opts.tags ?? (state === KOJI_STATE.COMPLETE ? [target] : []),
    };
    this.builds.push(b);
    return b;
  }

  buildJson(b: FakeBuild): Struct {
    return {
      build_id: b.id,
      id: b.id,
      package_id: 100 + b.id,
      package_name: b.name,
      name: b.name,
      version: b.version,
      release: b.release,
      epoch: null,
      nvr: `${b.name}-${b.version}-${b.release}`,
      state: b.state,
      owner_id: 1,
      owner_name: b.owner,
      task_id: b.taskId,
      source: `git+https://gitee.com/src-opencloudos-rpms/${b.name}?#${b.commit}`,
      creation_ts: b.createdTs,
      creation_time: new Date(b.createdTs * 1000).toISOString(),
      start_ts: b.createdTs,
      completion_ts: b.completedTs,
      volume_name: 'DEFAULT',
      extra: null,
    };
  }

  private dispatch(method: string, params: XmlRpcValue[]): XmlRpcValue {
    const kw = (params.find((p) => p && typeof p === 'object' && !Array.isArray(p) && '__starstar' in p) ??
      {}) as Struct;
    switch (method) {
      case 'listBuilds': {
        const after = typeof kw.createdAfter === 'number' ? kw.createdAfter : 0;
        const opts = (kw.queryOpts ?? {}) as Struct;
        const limit = typeof opts.limit === 'number' ? opts.limit : 1_000_000;
        return this.builds
          .filter((b) => b.createdTs > after)
          .sort((a, b) => a.createdTs - b.createdTs || a.id - b.id)
          .slice(0, limit)
          .map((b) => this.buildJson(b));
      }
      case 'getBuild': {
        const b = this.builds.find((x) => x.id === params[0] || `${x.name}-${x.version}-${x.release}` === params[0]);
        return b ? this.buildJson(b) : null;
      }
      case 'getTaskInfo': {
        const b = this.builds.find((x) => x.taskId === params[0]);
        if (!b) throw new Error(`No such task: ${JSON.stringify(params[0])}`);
        return {
          id: b.taskId,
          method: 'build',
          state: 2,
          arch: 'noarch',
          owner: 1,
          request: [`git+https://gitee.com/src-opencloudos-rpms/${b.name}?#${b.commit}`, b.target, {}],
        };
      }
      case 'getTaskChildren': {
        const b = this.builds.find((x) => x.taskId === params[0]);
        return (b?.arches ?? []).map((arch, i) => ({
          id: (b?.taskId ?? 0) + i + 1,
          method: 'buildArch',
          arch,
          state: 2,
          parent: b?.taskId ?? 0,
        }));
      }
      case 'listTagged': {
        const tag = typeof params[0] === 'string' ? params[0] : '';
        return this.builds
          .filter((b) => b.tags.includes(tag))
          .map((b) => ({ ...this.buildJson(b), tag_name: tag, tag_id: 1 }));
      }
      default:
        throw new Error(`Invalid method: ${method}`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/kojihub') {
      res.writeHead(404).end();
      return;
    }
    if (this.failNext > 0) {
      this.failNext--;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    let call: { method: string; params: XmlRpcValue[] };
    try {
      call = decodeCall(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(encodeFault(1, (e as Error).message));
      return;
    }
    this.calls.push(call.method);
    let body: string;
    try {
      body = encodeResponse(this.dispatch(call.method, call.params));
    } catch (e) {
      body = encodeFault(1000, (e as Error).message);
    }
    res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
  }
}
