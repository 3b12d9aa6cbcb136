import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';

/** The rate limiter's Redis connection, owned here so that it closes with the application. */
@Injectable()
export class ThrottleRedis implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis(config.redisUrl, { keyPrefix: `${config.queuePrefix}:throttle:`, maxRetriesPerRequest: 1 });
    this.client.on('error', () => undefined); // readiness reports Redis outages
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
