import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { login, makeUser } from '../testing/factories';
import { startTestApp, TestApp } from '../testing/test-app';
import { POLICY_KEY } from './policy';

interface RouteInfo {
  route: string;
  hasPolicy: boolean;
}

/** Every HTTP route the application exposes, with whether it declares an access policy. */
function listRoutes(t: TestApp): RouteInfo[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const reflector = t.app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, (...args: unknown[]) => unknown>;
    const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const hasPolicy = !!reflector.getAllAndOverride(POLICY_KEY, [handler, metatype]);
      routes.push({ route: `${method} /${base}/${path}`.replace(/\/+/g, '/').replace(/\/$/, ''), hasPolicy });
    }
  }
  return routes;
}

describe('authorization is deny-by-default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the routes it should and every one of them declares a policy', () => {
    const routes = listRoutes(t);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/login', 'GET /api/v1/admin/audit']),
    );
    expect(routes.filter((r) => !r.hasPolicy).map((r) => r.route)).toEqual([]);
  });

  it('lets only admins read the audit log and manage roles', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const triager = await makeUser(t.ds, { roles: ['triager'] });
    const sa = await login(t.baseUrl, admin.user.username);
    const st = await login(t.baseUrl, triager.user.username);
    await t.http().get('/api/v1/admin/audit').expect(401);
    await t.http().get('/api/v1/admin/audit').set('cookie', st.cookie).expect(403);
    const audit = await t.http().get('/api/v1/admin/audit?limit=5').set('cookie', sa.cookie).expect(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(audit.body.items[0]).toHaveProperty('action');

    await t
      .http()
      .put(`/api/v1/admin/users/${triager.user.id}/roles`)
      .set('cookie', st.cookie)
      .set('x-csrf-token', st.csrf)
      .send({ roles: ['admin'] })
      .expect(403);
    const granted = await t
      .http()
      .put(`/api/v1/admin/users/${triager.user.id}/roles`)
      .set('cookie', sa.cookie)
      .set('x-csrf-token', sa.csrf)
      .send({ roles: ['security', 'triager'] })
      .expect(200);
    expect(granted.body.roles).toEqual(['security', 'triager']);
    const me = await t.http().get('/api/v1/me').set('cookie', st.cookie).expect(200);
    expect(me.body.roles).toEqual(['security', 'triager']);
    const bad = await t
      .http()
      .put(`/api/v1/admin/users/${triager.user.id}/roles`)
      .set('cookie', sa.cookie)
      .set('x-csrf-token', sa.csrf)
      .send({ roles: ['god'] })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('roles');
    const audit2 = await t
      .http()
      .get('/api/v1/admin/audit?action=user.roles_change')
      .set('cookie', sa.cookie)
      .expect(200);
    expect(audit2.body.items[0]).toMatchObject({ actorId: admin.user.id, targetId: String(triager.user.id) });
    expect(audit2.body.items[0].details).toEqual({ before: ['triager'], after: ['security', 'triager'] });
  });

  it('keeps an admin from removing their own admin role', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const s = await login(t.baseUrl, admin.user.username);
    const res = await t
      .http()
      .put(`/api/v1/admin/users/${admin.user.id}/roles`)
      .set('cookie', s.cookie)
      .set('x-csrf-token', s.csrf)
      .send({ roles: [] })
      .expect(400);
    expect(res.body.code).toBe('cannot_demote_self');
  });

  it('guards the queue dashboard: visitors are sent to login, members are refused, admins see it', async () => {
    const admin = await makeUser(t.ds, { roles: ['admin'] });
    const member = await makeUser(t.ds);
    const sa = await login(t.baseUrl, admin.user.username);
    const sm = await login(t.baseUrl, member.user.username);
    const anon = await t.http().get('/admin/queues').set('accept', 'text/html').expect(302);
    expect(anon.headers.location).toBe('/login?next=%2Fadmin%2Fqueues');
    await t.http().get('/admin/queues/api/queues').set('cookie', sm.cookie).expect(403);
    const ok = await t.http().get('/admin/queues/api/queues').set('cookie', sa.cookie).expect(200);
    expect(JSON.stringify(ok.body)).toContain('mail');
  });

  it('exposes health, readiness and Prometheus metrics', async () => {
    await t.http().get('/api/health/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/api/health/ready').expect(200);
    expect(ready.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/och_http_request_duration_seconds_bucket\{[^}]*route="\/api\/health\/live"/);
    expect(metrics.text).toMatch(/och_queue_jobs\{queue="mail",state="waiting"\}/);
    expect(metrics.text).toMatch(/och_outbox_pending \d+/);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await t.http().get('/api/openapi.json').expect(200);
    expect(doc.body.paths['/api/v1/me/tokens'].post).toBeDefined();
    const ui = await t.http().get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger');
  });
});
