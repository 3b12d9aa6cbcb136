import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('works with no variables at all on a developer machine', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/opencloudos_hub',
      databaseUrlDefaulted: true,
      redisUrl: 'redis://127.0.0.1:6379',
      webMode: 'embedded',
    });
    expect(c.sessionSecret).toHaveLength(64);
  });

  it('refuses to run in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).nodeEnv).toBe('production');
  });

  it.each([
    ['PORT', 'eighty', /PORT must be an integer/],
    ['PORT', '70000', /PORT must be an integer/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres/],
    ['REDIS_URL', 'not a url', /REDIS_URL is not a URL/],
    ['WEB_MODE', 'sometimes', /WEB_MODE must be one of/],
    ['SESSION_SECRET', 'short', /at least 16/],
  ])('names the variable when %s=%s is wrong', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://hub.opencloudos.org/' }).publicUrl).toBe('https://hub.opencloudos.org');
  });
});
