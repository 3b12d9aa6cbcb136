import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, pingRedis } from '@och/api';
import { Logger as PinoLogger } from 'nestjs-pino';
import { JobRunner } from './job-runner';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  try {
    await pingRedis(config.redisUrl);
  } catch {
    console.error(
      `Redis is not reachable at ${config.redisUrl}. Start one, e.g. "redis-server --daemonize yes --port 6379", or set REDIS_URL.`,
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.get(JobRunner).start();
  new Logger('Workers').log('OpenCloudOS Hub workers started');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
