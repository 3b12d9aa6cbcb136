import { ApiProperty } from '@nestjs/swagger';

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

export class BuildListView {
  @ApiProperty({ type: [BuildView] })
  items: BuildView[];
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

  @ApiProperty({ description: 'The fixing commit' })
  commit: string;

  @ApiProperty({ type: String, nullable: true })
  taskUrl: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;
}

export class BugBuildsView {
  @ApiProperty({ description: "The bug's fixed-in field (NVRs, comma-separated)" })
  fixedIn: string;

  @ApiProperty({ type: [FixingBuildView], description: 'Per release, the first build that carries the fix' })
  releases: FixingBuildView[];
}
