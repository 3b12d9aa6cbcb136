import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type JobPayloads,
  MirrorProbeService,
  QueueRegistry,
  QUEUES,
  ReleaseImportService,
} from '@och/api';
import { type Handler, JobHandler } from '../job-handler';

/** Re-reads a release's tree and checksums from the master mirror (idempotent). */
@Injectable()
@JobHandler('mirrors.import-release')
export class MirrorImportJob implements Handler<'mirrors.import-release'> {
  constructor(private readonly importer: ReleaseImportService) {}

  handle(payload: JobPayloads['mirrors.import-release']) {
    return this.importer.importRelease(payload.releaseId);
  }
}

/**
 * Probes every mirror, a bounded number at a time, every MIRROR_PROBE_INTERVAL_MINUTES. It
 * schedules itself when the workers start (one scheduler in Redis, however many workers run).
 */
@Injectable()
@JobHandler('mirrors.probe-sweep')
export class MirrorProbeSweepJob implements Handler<'mirrors.probe-sweep'>, OnApplicationBootstrap {
  private readonly logger = new Logger(MirrorProbeSweepJob.name);

  constructor(
    private readonly prober: MirrorProbeService,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queues
        .get(QUEUES.maintenance)
        .upsertJobScheduler(
          'mirror-probe-sweep',
          { every: this.config.mirrorProbeIntervalMinutes * 60_000 },
          { name: 'mirrors.probe-sweep', data: {}, opts: { attempts: 1 } },
        );
    } catch (err) {
      this.logger.warn(`could not schedule mirror probes: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  handle() {
    return this.prober.sweep();
  }
}
