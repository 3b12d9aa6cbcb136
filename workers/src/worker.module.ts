import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  type AppConfig,
  BugSearchService,
  CoreModule,
  GOVERNANCE_PROVIDERS,
  ProgrammeService,
  MIRROR_PROVIDERS,
  SYNC_PROVIDERS,
} from '@och/api';
import { LoggerModule } from 'nestjs-pino';
import { JobRunner } from './job-runner';
import { BugTermStatsJob, NeedinfoRemindersJob, WatchSearchesJob } from './jobs/bug-maintenance.job';
import { GovernanceCloseJob, GovernanceOpenJob, GovernanceTickJob } from './jobs/governance.job';
import { MailSendJob } from './jobs/mail-send.job';
import { MembershipExpiryJob } from './jobs/membership-expiry.job';
import { MirrorImportJob, MirrorProbeSweepJob } from './jobs/mirror.job';
import { ProgrammeRetentionJob } from './jobs/programme-retention.job';
import { PurgeExpiredJob } from './jobs/purge-expired.job';
import {
  SyncBuildsPollJob,
  SyncCommunityFileJob,
  SyncGiteePushJob,
  SyncGiteeRepoJob,
  SyncGiteeReposJob,
} from './jobs/sync.job';

export const JOBS = [
  MailSendJob,
  PurgeExpiredJob,
  MembershipExpiryJob,
  BugTermStatsJob,
  NeedinfoRemindersJob,
  WatchSearchesJob,
  GovernanceOpenJob,
  GovernanceCloseJob,
  GovernanceTickJob,
  ProgrammeRetentionJob,
  MirrorImportJob,
  MirrorProbeSweepJob,
  SyncGiteeReposJob,
  SyncGiteeRepoJob,
  SyncGiteePushJob,
  SyncBuildsPollJob,
  SyncCommunityFileJob,
];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        // the same structured JSON logs as the API
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        CoreModule.forRoot(config),
        DiscoveryModule,
      ],
      // services the jobs reuse from the API's feature modules (they only need the database)
      providers: [
        JobRunner,
        BugSearchService,
        ...GOVERNANCE_PROVIDERS,
        ProgrammeService,
        ...MIRROR_PROVIDERS,
        ...SYNC_PROVIDERS,
        ...JOBS,
      ],
    };
  }
}
