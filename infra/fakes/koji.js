'use strict';
// A fake Koji hub (`/kojihub`, XML-RPC) on loopback: the one implementation behind the build
// sync tests (api/src/testing/fake-koji.ts re-exports it), the bench and the demo. It speaks
// XML-RPC with its own small codec (not the product's), so a mistake in one is not mirrored in the
// other. Run alone: `node infra/fakes/koji.js` (see infra/fakes/README.md).
const { createHash } = require('node:crypto');
const { createServer } = require('node:http');
const { packageNames, prng } = require('./data');

/** Koji's numeric build states. */
const KOJI_STATE = Object.freeze({ BUILDING: 0, COMPLETE: 1, DELETED: 2, FAILED: 3, CANCELED: 4 });

// ------------------------------------------------------------------ XML-RPC, both directions

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e],
  );

function toXml(v) {
  if (v === null || v === undefined) return '<value><nil/></value>';
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number')
    return Number.isInteger(v)
      ? `<value>${Math.abs(v) > 2147483647 ? `<i8>${v}</i8>` : `<int>${v}</int>`}</value>`
      : `<value><double>${v}</double></value>`;
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (v instanceof Date)
    return `<value><dateTime.iso8601>${v.toISOString().slice(0, 19).replace(/-/g, '')}</dateTime.iso8601></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(toXml).join('')}</data></array></value>`;
  return `<value><struct>${Object.entries(v)
    .map(([k, x]) => `<member><name>${esc(k)}</name>${toXml(x)}</member>`)
    .join('')}</struct></value>`;
}

const response = (v) =>
  `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${toXml(v)}\n</param>\n</params>\n</methodResponse>\n`;
const fault = (code, message) =>
  `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n${toXml({ faultCode: code, faultString: message })}\n</fault>\n</methodResponse>\n`;

/** Parses a methodCall with a tiny recursive-descent reader over the tag stream. */
function parseCall(xml) {
  const tokens = [];
  const re = /<\?[^>]*\?>|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  let m;
  while ((m = re.exec(xml)) !== null) {
    if (m[0].startsWith('<?')) continue;
    if (m[4] !== undefined) {
      if (m[4].trim() || tokens.at(-1)?.open) tokens.push({ text: unesc(m[4]) });
    } else if (m[1]) tokens.push({ close: m[2] });
    else if (m[3]) tokens.push({ open: m[2] }, { close: m[2] });
    else tokens.push({ open: m[2] });
  }
  let i = 0;
  const expectOpen = (name) => {
    if (tokens[i]?.open !== name) throw new Error(`expected <${name}>`);
    i++;
  };
  const expectClose = (name) => {
    if (tokens[i]?.close !== name) throw new Error(`expected </${name}>`);
    i++;
  };
  const text = () => (tokens[i]?.text !== undefined ? tokens[i++].text : '');
  const skipBlank = () => {
    while (tokens[i]?.text !== undefined && !tokens[i].text.trim()) i++;
  };
  function value() {
    skipBlank();
    expectOpen('value');
    if (tokens[i]?.text !== undefined && tokens[i + 1]?.close === 'value') {
      const s = text();
      expectClose('value');
      return s;
    }
    skipBlank();
    if (tokens[i]?.close === 'value') {
      i++;
      return '';
    }
    const type = tokens[i]?.open;
    i++;
    let out;
    switch (type) {
      case 'nil':
        out = null;
        break;
      case 'int':
      case 'i4':
      case 'i8':
      case 'double':
        out = Number(text().trim());
        break;
      case 'boolean':
        out = text().trim() === '1';
        break;
      case 'string':
        out = text();
        break;
      case 'dateTime.iso8601': {
        const d = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text().trim());
        out = d ? new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6])) : null;
        break;
      }
      case 'array': {
        out = [];
        skipBlank();
        expectOpen('data');
        for (skipBlank(); tokens[i]?.open === 'value'; skipBlank()) out.push(value());
        expectClose('data');
        skipBlank();
        break;
      }
      case 'struct': {
        out = {};
        for (skipBlank(); tokens[i]?.open === 'member'; skipBlank()) {
          i++;
          skipBlank();
          expectOpen('name');
          const name = text();
          expectClose('name');
          out[name] = value();
          skipBlank();
          expectClose('member');
        }
        break;
      }
      default:
        throw new Error(`unknown XML-RPC type <${type}>`);
    }
    expectClose(type);
    skipBlank();
    expectClose('value');
    return out;
  }
  skipBlank();
  expectOpen('methodCall');
  skipBlank();
  expectOpen('methodName');
  const method = text().trim();
  expectClose('methodName');
  const params = [];
  skipBlank();
  if (tokens[i]?.open === 'params') {
    i++;
    for (skipBlank(); tokens[i]?.open === 'param'; skipBlank()) {
      i++;
      params.push(value());
      skipBlank();
      expectClose('param');
    }
    expectClose('params');
  }
  return { method, params };
}

// ------------------------------------------------------------------ the hub

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback Koji hub with listBuilds (createdAfter + queryOpts order/limit), getBuild,
 * getTaskInfo (request = [source, target, opts]), getTaskChildren (buildArch tasks) and
 * listTagged, answering with Koji's field names. Calls are logged. Fault switches: `failNext` (HTTP
 * 500s), `truncateNext` (an answer cut off mid-document), `latencyMs`, `rateLimitNext` (429 with
 * Retry-After, as a proxy in front of a hub answers). `/_fake/*` controls it from another process.
 */
class FakeKoji {
  constructor() {
    this.builds = [];
    this.calls = [];
    this.failNext = 0;
    this.truncateNext = 0;
    this.rateLimitNext = 0;
    this.latencyMs = 0;
    this.port = 0;
    this.nextId = 5000;
    this.clock = 1_764_000_000;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get hubUrl() {
    return `http://127.0.0.1:${this.port}/kojihub`;
  }

  async start(port = 0, host = '127.0.0.1') {
    await new Promise((resolve) => this.server.listen(port, host, resolve));
    this.port = this.server.address().port;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A new build of `name` for `target` (tagged into the target's tag when complete). */
  add(name, opts = {}) {
    const id = this.nextId++;
    this.clock += 60;
    const state = opts.state ?? KOJI_STATE.COMPLETE;
    const target = opts.target ?? 'dist-oc9';
    const b = {
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
      completedTs: state === KOJI_STATE.BUILDING ? null : (opts.completedTs ?? (opts.createdTs ?? this.clock) + 30),
      tags: opts.tags ?? (state === KOJI_STATE.COMPLETE ? [target] : []),
    };
    this.builds.push(b);
    return b;
  }

  /**
   * Deterministic history for a distribution: per package and release (dist-oc8, dist-oc9) one to
   * three builds, mostly complete, some failed, a few still building; commits are stable hashes.
   */
  seed(names, opts = {}) {
    const random = prng(opts.seed ?? 9);
    const targets = opts.targets ?? ['dist-oc8', 'dist-oc9'];
    const start = opts.startTs ?? 1_760_000_000;
    const made = [];
    names.forEach((name, n) => {
      for (const target of targets) {
        const count = 1 + Math.floor(random() * 3);
        for (let k = 0; k < count; k++) {
          const r = random();
          const last = k === count - 1;
          const state =
            last && r < 0.06 ? KOJI_STATE.FAILED : last && r < 0.08 ? KOJI_STATE.BUILDING : KOJI_STATE.COMPLETE;
          const createdTs = start + n * 97 + k * 86_400 + (target === 'dist-oc8' ? 0 : 3600);
          made.push(
            this.add(name, {
              target,
              state,
              version: `${1 + (n % 5)}.${k}`,
              release: `${k + 1}.${target.replace('dist-', '')}`,
              commit: createHash('sha1').update(`${name}:${target}:${k}`).digest('hex'),
              owner: ['kojiadmin', 'release-bot', 'zhangwei'][n % 3],
              arches: n % 9 === 0 ? ['noarch'] : ['aarch64', 'loongarch64', 'x86_64'],
              createdTs,
              tags: state === KOJI_STATE.COMPLETE && (last || random() < 0.2) ? [target] : [],
            }),
          );
        }
      }
    });
    // later builds supersede earlier ones in a tag, as tagging the newest does in Koji
    const newest = new Map();
    for (const b of made) if (b.tags.length) newest.set(`${b.name}:${b.target}`, b);
    for (const b of made) if (b.tags.length && newest.get(`${b.name}:${b.target}`) !== b) b.tags = [];
    this.clock = Math.max(this.clock, ...made.map((b) => b.createdTs));
    return made;
  }

  buildJson(b) {
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

  dispatch(method, params) {
    const kw = params.find((p) => p && typeof p === 'object' && !Array.isArray(p) && '__starstar' in p) ?? {};
    switch (method) {
      case 'listBuilds': {
        const after = typeof kw.createdAfter === 'number' ? kw.createdAfter : 0;
        const opts = kw.queryOpts ?? {};
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

  async handle(req, res) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/_fake/')) return this.control(req, res, path, Buffer.concat(chunks).toString('utf8'));
    if (req.method !== 'POST' || path !== '/kojihub') return void res.writeHead(404).end();
    if (this.latencyMs) await sleep(this.latencyMs);
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      return void res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('Too Many Requests');
    }
    if (this.failNext > 0) {
      this.failNext--;
      return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    }
    let call;
    try {
      call = parseCall(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      return void res.writeHead(200, { 'content-type': 'text/xml' }).end(fault(1, e.message));
    }
    this.calls.push(call.method);
    let body;
    try {
      body = response(this.dispatch(call.method, call.params));
    } catch (e) {
      body = fault(1000, e.message);
    }
    if (this.truncateNext > 0) {
      this.truncateNext--;
      body = body.slice(0, Math.floor(body.length / 2));
    }
    res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
  }

  /** `GET /_fake/stats`; `POST /_fake/faults` {failNext, truncateNext, rateLimitNext, latencyMs}; `POST /_fake/build` (add). */
  control(req, res, path, raw) {
    const json = (status, body) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && path === '/_fake/stats')
      return json(200, { calls: this.calls.length, builds: this.builds.length });
    let body;
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return json(400, { message: 'not JSON' });
    }
    if (req.method === 'POST' && path === '/_fake/faults') {
      for (const k of ['failNext', 'truncateNext', 'rateLimitNext', 'latencyMs'])
        if (k in body) this[k] = Number(body[k]);
      return json(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/_fake/build' && typeof body.name === 'string') {
      const state = typeof body.state === 'string' ? KOJI_STATE[body.state] : body.state;
      return json(
        200,
        this.add(body.name, { ...body, state, createdTs: body.createdTs ?? Math.floor(Date.now() / 1000) }),
      );
    }
    return json(404, { message: 'Not Found' });
  }
}

module.exports = { FakeKoji, KOJI_STATE, parseCall };

if (require.main === module) {
  // node infra/fakes/koji.js — env: FAKE_KOJI_PORT (3902), FAKE_KOJI_PACKAGES (2500),
  // FAKE_LATENCY_MS.
  const env = process.env;
  const fake = new FakeKoji();
  fake.seed(packageNames(Number(env.FAKE_KOJI_PACKAGES ?? 2500)));
  if (env.FAKE_LATENCY_MS) fake.latencyMs = Number(env.FAKE_LATENCY_MS);
  // FAKE_KOJI_TICK_SECONDS: life for a demo — each tick starts a build of some package and
  // finishes the one started before (one in eight fails), tagging the good ones.
  const tick = Number(env.FAKE_KOJI_TICK_SECONDS ?? 0);
  if (tick > 0) {
    const names = packageNames(Number(env.FAKE_KOJI_PACKAGES ?? 2500));
    const random = prng(11);
    let running = null;
    setInterval(() => {
      if (running) {
        running.state = random() < 0.125 ? KOJI_STATE.FAILED : KOJI_STATE.COMPLETE;
        running.completedTs = Math.floor(Date.now() / 1000);
        if (running.state === KOJI_STATE.COMPLETE) running.tags = [running.target];
      }
      const name = names[Math.floor(random() * names.length)];
      running = fake.add(name, {
        target: random() < 0.5 ? 'dist-oc8' : 'dist-oc9',
        state: KOJI_STATE.BUILDING,
        createdTs: Math.floor(Date.now() / 1000),
        tags: [],
      });
    }, tick * 1000).unref();
  }
  fake.start(Number(env.FAKE_KOJI_PORT ?? 3902)).then(
    () => {
      console.log(`[fake-koji] Koji hub on ${fake.hubUrl}: ${fake.builds.length} builds`);
      process.send?.({ type: 'listening', port: fake.port });
    },
    (e) => {
      console.error(`[fake-koji] ${e.message}`);
      process.exit(1);
    },
  );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}
