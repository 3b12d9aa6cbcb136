import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class WebhookAckView {
  @ApiProperty({ example: 'Push Hook' })
  event: string;

  @ApiProperty({ type: String, nullable: true, example: 'src-opencloudos-rpms/openssl' })
  repository: string | null;

  @ApiProperty({ type: [String], description: 'Jobs queued for this delivery', example: ['sync.gitee-repo'] })
  queued: string[];
}

export class GiteeOrgSyncView {
  @ApiProperty({ example: 'src-opencloudos-rpms' })
  org: string;

  @ApiProperty({ enum: ['idle', 'running', 'paused', 'failed'] })
  state: string;

  @ApiProperty()
  pass: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Next page of the pass in progress' })
  nextPage: number | null;

  @ApiProperty({ type: Number, nullable: true })
  totalCount: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedUntil: Date | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ type: Object, description: 'Counters of the last or current pass, with conflicts reported' })
  stats: Record<string, unknown>;
}

export class CommunityFileView {
  @ApiProperty({ example: 'OpenCloudOS/rpm_info:master:packages.yaml' })
  file: string;

  @ApiProperty({ type: String, nullable: true, description: 'Blob sha last read' })
  sha: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Blob sha last imported without problems' })
  appliedSha: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  checkedAt: Date | null;

  @ApiProperty({ type: Object, description: "The SIG import's report: valid, problems (conflicts), warnings, summary" })
  report: Record<string, unknown>;
}

export class SyncStatusView {
  @ApiProperty({ type: [GiteeOrgSyncView] })
  orgs: GiteeOrgSyncView[];

  @ApiProperty({ type: CommunityFileView, nullable: true, description: 'null when SYNC_COMMUNITY_REPO is empty' })
  packagesYaml: CommunityFileView | null;
}

export class BuildView {
  @ApiProperty({ example: 'koji' })
  system: string;

  @ApiProperty({ description: "The build's id in its system" })
  id: number;

  @ApiProperty({ example: 'openssl-3.0.12-5.oc9' })
  nvr: string;

  @ApiProperty({ type: String, nullable: true, example: '9' })
  release: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'dist-oc9' })
  target: string | null;

  @ApiProperty({ type: [String], description: 'Release tags the build is tagged into' })
  tags: string[];

  @ApiProperty({ type: [String], example: ['aarch64', 'x86_64'] })
  arches: string[];

  @ApiProperty({ enum: ['BUILDING', 'COMPLETE', 'FAILED', 'CANCELED', 'DELETED'] })
  state: string;

  @ApiProperty()
  owner: string;

  @ApiProperty({ type: String, nullable: true })
  sourceCommit: string | null;

  @ApiProperty({ type: String, nullable: true })
  taskUrl: string | null;

  @ApiProperty({ type: String, nullable: true })
  logUrl: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;
}

export class LatestBuildView {
  @ApiProperty({ type: String, nullable: true, example: '9' })
  release: string | null;

  @ApiProperty({ example: 'x86_64' })
  arch: string;

  @ApiProperty({ type: BuildView, description: 'The newest build of this release that built this architecture' })
  build: BuildView;
}

export class BuildListView {
  @ApiProperty({ type: [BuildView], description: 'Newest first' })
  items: BuildView[];

  @ApiProperty({ type: [LatestBuildView], description: 'Per release and architecture, the newest build' })
  latest: LatestBuildView[];
}

export class BuildListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'How many builds of the history' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class SigFailingBuildView {
  @ApiProperty({ example: 'openssl' })
  package: string;

  @ApiProperty({ type: BuildView, description: 'The newest finished build of that release, which failed' })
  build: BuildView;
}

export class SigFailingBuildsView {
  @ApiProperty({
    type: [SigFailingBuildView],
    description: "The SIG's packages whose newest finished build of a release failed, newest first",
  })
  items: SigFailingBuildView[];
}

export class MirrorShareView {
  @ApiProperty({ type: String, format: 'date-time', description: "The master's current compose of the release" })
  composedAt: Date;

  @ApiProperty({ description: 'That compose came after the build was tagged, so it carries the fix' })
  composed: boolean;

  @ApiProperty({ description: 'Active mirrors serving package repositories' })
  mirrors: number;

  @ApiProperty({ description: 'Of those, the ones whose last probe found that snapshot or a later one' })
  carrying: number;

  @ApiProperty({ description: 'carrying / mirrors (0 when there are none)', example: 0.75 })
  share: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Newest probe behind the numbers' })
  checkedAt: Date | null;
}

export class FixReleaseView {
  @ApiProperty({ description: 'The build tagged into the release repository', example: 'openssl-3.0.12-5.oc9' })
  nvr: string;

  @ApiProperty({ type: String, format: 'date-time' })
  releasedAt: Date;
}

export class FixingBuildView {
  @ApiProperty({ type: String, nullable: true, example: '9' })
  release: string | null;

  @ApiProperty({ example: 'openssl-3.0.12-5.oc9' })
  nvr: string;

  @ApiProperty({ enum: ['BUILDING', 'COMPLETE', 'FAILED', 'CANCELED', 'DELETED'] })
  state: string;

  @ApiProperty({ description: 'Tagged into the release repository' })
  taggedIntoRelease: boolean;

  @ApiProperty({ type: [String] })
  tags: string[];

  @ApiProperty({ type: String, nullable: true, description: 'The fixing commit (null when fixed-in was set by hand)' })
  commit: string | null;

  @ApiProperty({
    enum: ['commit', 'manual'],
    description: 'Found from the fixing commit, or named in fixed-in by hand',
  })
  source: 'commit' | 'manual';

  @ApiProperty({ type: String, nullable: true })
  taskUrl: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;

  @ApiProperty({
    type: FixReleaseView,
    nullable: true,
    description: 'Fix released: a carrying build is in the release repository',
  })
  released: FixReleaseView | null;

  @ApiProperty({
    type: MirrorShareView,
    nullable: true,
    description: 'How far that repository snapshot has reached the mirrors (null: not released, or no probe yet)',
  })
  mirrors: MirrorShareView | null;
}

export class BugBuildsView {
  @ApiProperty({ description: "The bug's fixed-in field (NVRs, comma-separated)" })
  fixedIn: string;

  @ApiProperty({ type: [FixingBuildView], description: 'Per release, the first build that carries the fix' })
  releases: FixingBuildView[];
}
