import request from 'supertest';
import { startTestApp, TestApp } from '../testing/test-app';
import { holdsNul } from './nul-guard';

describe('NUL characters in requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a NUL in any string of a parsed body, keys included', () => {
    expect(holdsNul({ a: [{ b: 'x\u0000y' }] })).toBe(true);
    expect(holdsNul({ 'k\u0000': 1 })).toBe(true);
    expect(holdsNul({ a: ['plain', 1, null, { b: '中文' }] })).toBe(false);
    expect(holdsNul(undefined)).toBe(false);
  });

  it('refuses them with a 400 wherever they arrive, instead of a database error', async () => {
    for (const path of [
      '/api/v1/bugs?q=abc%00def',
      '/api/v1/bugs?q=%40ab%00c',
      '/api/v1/bugs/duplicates?product=OpenCloudOS&summary=a%00b',
      '/api/v1/search?q=a%00b',
    ]) {
      const res = await request(t.baseUrl).get(path).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'invalid_characters' });
    }
    const body = await request(t.baseUrl)
      .post('/api/v1/auth/login')
      .send({ login: 'someone\u0000', password: 'secret secret' })
      .expect(400);
    expect(body.body.code).toBe('invalid_characters');
    // Bugzilla REST callers get Bugzilla's error shape
    const rest = await request(t.baseUrl).get('/rest/bug?quicksearch=a%00b').expect(400);
    expect(rest.body).toMatchObject({ error: true, code: 53 });
    // and nothing else changes
    await request(t.baseUrl).get('/api/v1/bugs?q=abc%2500def').expect(200);
    await request(t.baseUrl).get('/rest/bug?quicksearch=abc').expect(200);
  });
});
