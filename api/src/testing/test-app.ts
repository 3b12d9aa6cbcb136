import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory';
import { AppConfig, loadConfig } from '../config/config';
import { createTestDb, TestDb } from './test-db';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDb;
  ds: DataSource;
  baseUrl: string;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    SESSION_SECRET: randomBytes(24).toString('hex'),
    WEB_MODE: 'off',
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `och_t_${randomBytes(4).toString('hex')}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SMTP_URL: 'smtp://127.0.0.1:9',
    THROTTLE_AUTH_LIMIT: '1000',
    ...overrides,
  });
}

/** The real application on a fresh database, listening on a random loopback port. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDb();
  const config = testConfig({ DATABASE_URL: db.url, ...overrides });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    db,
    ds: app.get(DataSource),
    baseUrl,
    http: () => request(baseUrl),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
