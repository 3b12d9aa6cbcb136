import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { releaseId, type DownloadFile, type Release } from '$lib/mirrors';
import type { PageServerLoad } from './$types';

const ARCH_ORDER = ['x86_64', 'aarch64', 'loongarch64'];

/** The latest OpenCloudOS release first, then the others as the API orders them. */
function defaultRelease(releases: Release[]): Release | undefined {
  return releases.find((r) => r.family === 'opencloudos' && r.isLatest) ?? releases[0];
}

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const api = apiFor(event);
  const list = await attempt(api.GET('/api/v1/releases'));
  if (!list.ok) error(list.problem.status === 0 ? 503 : 502, { message: list.problem.detail ?? 'API error' });
  const releases = list.data.items;
  const release = releases.find((r) => releaseId(r) === params.get('release')) ?? defaultRelease(releases);
  if (!release) return { releases, release: null, arches: [], variants: [], arch: null, variant: null, file: null };
  const arches = ARCH_ORDER.filter((a) => release.artefacts.some((x) => x.arch === a));
  const arch = arches.find((a) => a === params.get('arch')) ?? arches[0] ?? null;
  const variants = [...new Set(release.artefacts.filter((x) => x.arch === arch).map((x) => x.variant))];
  const variant = variants.find((v) => v === params.get('variant')) ?? variants[0] ?? null;
  const artefact = release.artefacts.find((x) => x.arch === arch && x.variant === variant);
  let file: DownloadFile | null = null;
  if (artefact) {
    const country = params.get('country');
    const res = await attempt(
      api.GET('/api/v1/downloads/file', {
        params: { query: { path: artefact.path, ...(country && /^[A-Za-z]{2}$/.test(country) ? { country } : {}) } },
      }),
    );
    if (res.ok) file = res.data;
  }
  return { releases, release, arches, variants, arch, variant, file };
};
