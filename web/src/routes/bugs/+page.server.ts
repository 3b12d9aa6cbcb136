import { error, fail } from '@sveltejs/kit';
import type { BugPriority, BugSeverity, BugSort, BugStatus } from '$lib/api/types';
import {
  BUG_STATUSES,
  DEFAULT_COLUMNS,
  isBugColumn,
  isBugPriority,
  isBugSeverity,
  isBugSort,
  isBugStatus,
  type BugColumn,
} from '$lib/bugs';
import { apiFor, attempt, failStatus, localProblem, secureCookies } from '$lib/server/api';
import { field } from '$lib/server/form-data';
import { requireUser } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;
/** The visitor's choice of result columns, so it survives without JavaScript and across searches. */
const COLUMNS_COOKIE = 'och_bug_columns';

export interface BugFilters {
  q: string;
  product: string;
  sig: string;
  status: BugStatus[];
  severity: BugSeverity | '';
  priority: BugPriority | '';
  /** '' lets the API choose: relevance with words to search for, last updated otherwise. */
  sort: BugSort | '';
}

function filtersFrom(params: URLSearchParams): BugFilters {
  const severity = params.get('severity');
  const priority = params.get('priority');
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').trim().slice(0, 1000),
    product: (params.get('product') ?? '').trim().slice(0, 64),
    sig: (params.get('sig') ?? '').trim().toLowerCase().slice(0, 48),
    status: params.getAll('status').filter(isBugStatus),
    severity: isBugSeverity(severity) ? severity : '',
    priority: isBugPriority(priority) ? priority : '',
    sort: isBugSort(sort) ? sort : '',
  };
}

function columnsFrom(list: string[]): BugColumn[] {
  return [...new Set(list.filter(isBugColumn))];
}

/** One quicksearch line that means the same as the search box plus the structured filters (for saved searches and the feed). */
function asQuicksearch(filters: BugFilters): string {
  const quote = (value: string) => (/[\s,"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value);
  const parts = [filters.q];
  if (filters.product) parts.push(`product:${quote(filters.product)}`);
  if (filters.sig) parts.push(`sig:${quote(filters.sig)}`);
  if (filters.status.length > 0) parts.push(`status:${filters.status.join(',')}`);
  if (filters.severity) parts.push(`severity:${filters.severity}`);
  if (filters.priority) parts.push(`priority:${filters.priority}`);
  return parts.filter((part) => part !== '').join(' ');
}

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = filtersFrom(params);
  const cursor = params.get('cursor') ?? undefined;

  // `cols` marks a submitted column chooser: an empty choice is a choice too.
  let columns: BugColumn[];
  if (params.has('cols')) {
    columns = columnsFrom(params.getAll('col'));
    event.cookies.set(COLUMNS_COOKIE, columns.join(','), {
      path: '/bugs',
      maxAge: 60 * 60 * 24 * 365,
      httpOnly: false,
      sameSite: 'lax',
      secure: secureCookies(),
    });
  } else {
    const saved = event.cookies.get(COLUMNS_COOKIE);
    columns = saved === undefined ? [...DEFAULT_COLUMNS] : columnsFrom(saved.split(','));
  }

  const api = apiFor(event);
  const [page, products, saved] = await Promise.all([
    attempt(
      api.GET('/api/v1/bugs', {
        params: {
          query: {
            limit: PAGE_SIZE,
            ...(filters.sort ? { sort: filters.sort } : {}),
            ...(filters.q ? { q: filters.q } : {}),
            ...(filters.product ? { product: filters.product } : {}),
            ...(filters.sig ? { sig: filters.sig } : {}),
            ...(filters.status.length > 0 ? { status: filters.status } : {}),
            ...(filters.severity ? { severity: filters.severity } : {}),
            ...(filters.priority ? { priority: filters.priority } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
    attempt(api.GET('/api/v1/bug-products')),
    event.locals.user ? attempt(api.GET('/api/v1/saved-searches')) : Promise.resolve(null),
  ]);
  // A bad search (too long, a stale cursor) is the visitor's to fix: show it, keep the page.
  if (!page.ok && page.problem.status !== 400)
    error(page.problem.status === 0 ? 503 : 502, { message: page.problem.detail ?? 'API error' });

  return {
    filters,
    columns,
    statuses: BUG_STATUSES,
    results: page.ok ? page.data : null,
    searchProblem: page.ok ? null : page.problem,
    products: products.ok ? products.data.map((product) => product.name) : [],
    savedSearches: saved?.ok ? saved.data : [],
    feedQuery: asQuicksearch(filters),
    paged: cursor !== undefined,
  };
};

export const actions: Actions = {
  save: async (event) => {
    requireUser(event.locals, event.url);
    const form = await event.request.formData();
    const name = field(form, 'name');
    // the search as the page showed it, in quicksearch form (see asQuicksearch)
    const query = field(form, 'query').slice(0, 1000);
    const sort = field(form, 'sort');
    if (name === '')
      return fail(400, { form: 'save', values: { name }, problem: localProblem(400, null, { name: 'required' }) });
    const result = await attempt(
      apiFor(event).POST('/api/v1/saved-searches', {
        body: {
          name,
          query,
          ...(isBugSort(sort) ? { sort } : {}),
          shared: form.get('shared') === 'on',
          watch: form.get('watch') === 'on',
        },
      }),
    );
    if (!result.ok)
      return fail(failStatus(result.problem), { form: 'save', values: { name }, problem: result.problem });
    return { form: 'save', done: 'bugs.saved.done' as const };
  },

  deleteSaved: async (event) => {
    requireUser(event.locals, event.url);
    const id = Number(field(await event.request.formData(), 'id'));
    if (!Number.isInteger(id) || id <= 0) return fail(400, { form: 'saved', problem: localProblem(400, 'not_found') });
    const result = await attempt(apiFor(event).DELETE('/api/v1/saved-searches/{id}', { params: { path: { id } } }));
    if (!result.ok) return fail(failStatus(result.problem), { form: 'saved', problem: result.problem });
    return { form: 'saved', done: 'bugs.saved.deleted' as const };
  },
};
