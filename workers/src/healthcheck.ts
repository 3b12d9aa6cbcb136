import { loadConfig } from '@och/api';
import { Redis } from 'ioredis';
import { HEARTBEAT_KEY } from './job-runner';

/** Container healthcheck: healthy while the workers' heartbeat in Redis is under 30 s old. */
async function main(): Promise<number> {
  const config = loadConfig();
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    const beat = Number(await redis.get(HEARTBEAT_KEY(config.queuePrefix)));
    return Date.now() - beat < 30_000 ? 0 : 1;
  } catch {
    return 1;
  } finally {
    redis.disconnect();
  }
}

void main().then((code) => process.exit(code));
