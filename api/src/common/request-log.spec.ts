import express from 'express';
import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { requestLog } from './request-log';

/** An express app behind requestLog, and the JSON lines its logger wrote. */
function appWith(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level }, sink)));
  app.get('/api/ok', (req, res) => {
    (req as unknown as { log: pino.Logger }).log.info('from the handler');
    res.json({ ok: true });
  });
  app.get('/api/boom', (_req, res) => {
    res.status(500).json({ ok: false });
  });
  app.get('/api/health/live', (_req, res) => {
    res.json({ ok: true });
  });
  return { app, lines };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('requestLog', () => {
  it('gives each request an id, binds the handler lines to it and logs the request without secrets', async () => {
    const { app, lines } = appWith('info');
    const res = await request(app).get('/api/ok?Bugzilla_api_key=s3cret&q=x').expect(200);
    await settle();
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, reqId: id, msg: 'from the handler' }),
      expect.objectContaining({
        level: 30,
        reqId: id,
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/api/ok?Bugzilla_api_key=[Redacted]&q=x' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it("keeps a caller's plausible request id and replaces an implausible one", async () => {
    const { app } = appWith('info');
    const kept = await request(app).get('/api/ok').set('x-request-id', 'trace-42').expect(200);
    expect(kept.headers['x-request-id']).toBe('trace-42');
    const replaced = await request(app).get('/api/ok').set('x-request-id', 'no spaces <here>').expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('no spaces <here>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs failures at error level even when info is off, and leaves probes out', async () => {
    const { app, lines } = appWith('warn');
    await request(app).get('/api/ok').expect(200);
    await request(app).get('/api/boom').expect(500);
    await request(app).get('/api/health/live').expect(200);
    await settle();
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 } })]);
    const quiet = appWith('info');
    await request(quiet.app).get('/api/health/live').expect(200);
    await settle();
    expect(quiet.lines).toEqual([]);
  });
});
