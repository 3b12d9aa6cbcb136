import type { paths } from '$lib/api/schema';
import type { MessageKey } from '$lib/i18n';

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type ReleaseList = JsonOf<paths['/api/v1/releases']['get']['responses'][200]>;
export type Release = ReleaseList['items'][number];
export type Artefact = Release['artefacts'][number];
export type DownloadFile = JsonOf<paths['/api/v1/downloads/file']['get']['responses'][200]>;
export type MirrorStatusPage = JsonOf<paths['/api/v1/mirrors/status']['get']['responses'][200]>;
export type MirrorStatus = MirrorStatusPage['items'][number];
export type Bucket = MirrorStatus['bucket'];
export type Continent = MirrorStatus['continent'];

export const BUCKETS: readonly Bucket[] = [
  'up-to-date',
  '1h',
  '6h',
  '1d',
  '2d',
  '1w',
  'older',
  'unknown',
  'unreachable',
];
export const CONTINENTS: readonly Continent[] = ['AS', 'EU', 'NA', 'SA', 'OC', 'AF', 'AN'];
export const PROTOCOLS = ['https', 'http', 'rsync'] as const;

export const isBucket = (v: unknown): v is Bucket =>
  typeof v === 'string' && (BUCKETS as readonly string[]).includes(v);
export const isContinent = (v: unknown): v is Continent =>
  typeof v === 'string' && (CONTINENTS as readonly string[]).includes(v);

export const bucketKey = (b: Bucket): MessageKey => `downloads.bucket.${b}` as MessageKey;
export const variantKey = (v: string): MessageKey => `downloads.variant.${v}` as MessageKey;
export const continentKey = (c: Continent): MessageKey => `downloads.continent.${c}` as MessageKey;

/** The colour class of a bucket: green when current, amber when behind, red when out of service. */
export function bucketTone(b: Bucket): 'fresh' | 'behind' | 'stale' | 'down' | 'unknown' {
  if (b === 'up-to-date' || b === '1h') return 'fresh';
  if (b === '6h' || b === '1d') return 'behind';
  if (b === '2d' || b === '1w' || b === 'older') return 'stale';
  if (b === 'unreachable') return 'down';
  return 'unknown';
}

/** Binary units, as ISO sizes are usually given: 1.6 GiB. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`;
}

/** `opencloudos-9.2` / `stream-23`: how the release selector names a release in the URL. */
export const releaseId = (r: Pick<Release, 'family' | 'version'>): string => `${r.family}-${r.version}`;

export const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Shell commands that check a download, for the checksum layouts the mirrors use. */
export function verifyCommands(file: DownloadFile): { sha: string; gpg: string | null } {
  const name = file.artefact.fileName;
  const sha = file.artefact.sha256 ? `echo "${file.artefact.sha256}  ${name}" | sha256sum -c -` : `sha256sum ${name}`;
  const sums = file.artefact.checksumPath ? fileName(file.artefact.checksumPath) : null;
  const sig = file.artefact.signaturePath ? fileName(file.artefact.signaturePath) : null;
  if (!file.signingKeyUrl || !sig || !sums) return { sha, gpg: null };
  const key = fileName(file.signingKeyUrl);
  return {
    sha,
    gpg: [
      `curl -O ${file.signingKeyUrl}`,
      `gpg --import ${key}`,
      `gpg --verify ${sig} ${sums}`,
      `sha256sum -c ${sums} --ignore-missing`,
    ].join('\n'),
  };
}

/** A calendar date (YYYY-MM-DD, no time of day) in the reader's language. */
export function formatDay(lang: string, day: string | null): string | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}
