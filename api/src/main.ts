import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { pingRedis } from './queue/redis';

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
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Main').log(
    `OpenCloudOS Hub API listening on http://${config.host}:${config.port} (public URL ${config.publicUrl})`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
