import { error } from '@sveltejs/kit';
import { apiFor, attempt } from '$lib/server/api';
import { isBucket, isContinent, PROTOCOLS } from '$lib/mirrors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const rawCountry = (params.get('country') ?? '').trim().toUpperCase();
  const country = /^[A-Z]{2}$/.test(rawCountry) ? rawCountry : '';
  const rawContinent = params.get('continent') ?? '';
  const continent = isContinent(rawContinent) ? rawContinent : '';
  const rawBucket = params.get('bucket') ?? '';
  const bucket = isBucket(rawBucket) ? rawBucket : '';
  const rawProtocol = params.get('protocol') ?? '';
  const protocol = (PROTOCOLS as readonly string[]).includes(rawProtocol)
    ? (rawProtocol as (typeof PROTOCOLS)[number])
    : '';
  const res = await attempt(
    apiFor(event).GET('/api/v1/mirrors/status', {
      params: {
        query: {
          ...(country ? { country } : {}),
          ...(continent ? { continent } : {}),
          ...(bucket ? { bucket } : {}),
          ...(protocol ? { protocol } : {}),
        },
      },
    }),
  );
  if (!res.ok) error(res.problem.status === 0 ? 503 : 502, { message: res.problem.detail ?? 'API error' });
  const query = new URLSearchParams(
    Object.entries({ country, continent, bucket, protocol }).filter(([, v]) => v) as [string, string][],
  ).toString();
  return { status: res.data, filters: { country, continent, bucket, protocol }, query };
};
