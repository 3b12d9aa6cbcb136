import type { paths } from '$lib/api/schema';

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

/** The sync area's shapes, derived from the API's paths. */
export type PackageBuilds = JsonOf<paths['/api/v1/packages/{name}/builds']['get']['responses'][200]>;
export type Build = PackageBuilds['items'][number];
export type LatestBuild = PackageBuilds['latest'][number];
export type SigFailingBuilds = JsonOf<paths['/api/v1/sigs/{slug}/failing-builds']['get']['responses'][200]>;
export type FixTrail = JsonOf<paths['/api/v1/bugs/{id}/builds']['get']['responses'][200]>;
export type FixTrailRelease = FixTrail['releases'][number];
export type BuildState = Build['state'];

/** The badge colour of a build state. */
export function buildStateBadge(state: BuildState): string {
  switch (state) {
    case 'COMPLETE':
      return 'ok';
    case 'FAILED':
      return 'bad';
    case 'BUILDING':
      return 'warn';
    default:
      return 'quiet';
  }
}

/** `0.5` → `50%`. */
export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Releases in the order people look for them: newest first. */
export function byReleaseDesc(a: string | null, b: string | null): number {
  return (b ?? '').localeCompare(a ?? '', 'en', { numeric: true });
}
