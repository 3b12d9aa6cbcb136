import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { inlineParams } from '../../database/inline-sql';
import { onConnection, preparedQuery } from '../../database/pool-queries';
import type { Actor } from '../../common/actor';
import { badRequest } from '../../common/errors';
import { type BugViewer, bugViewer, visibleBugRawSql } from './bug-access';
import { LIST_ROW_COLUMNS, type ListRow, listItemFromRow, loadListItems } from './bug-loader';
import type { BugSearchPage, BugSearchQueryDto, BugSort, DuplicateCandidateView } from './dto/bugs.dto';
import { CLOSED_STATUSES, type FieldFilter, OPEN_STATUSES, parseQuickSearch, type QuickSearch } from './quicksearch';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
/** Relevance ranks at most this many of the newest matches: ranking every match is what is slow. */
export const RANK_CANDIDATES = 50;
/** Counts are exact up to here, then "1000+". */
export const COUNT_CAP = 1000;
/**
 * Counting sparse matches means reading many rows: past this budget the count is the planner's
 * estimate (flagged as such) rather than a slow exact number.
 */
export const COUNT_BUDGET_MS = 10;
/**
 * An estimate past the cap times this is shown as is ("about N") without counting. Estimates of
 * word combinations can be off a few times either way; counting them exactly cost 40–100 ms of
 * CPU per search at 1M bugs, which 16 concurrent searches on 2 cores cannot afford.
 */
const ESTIMATE_TRUST_FACTOR = 1;
/** Below this many estimated matches, collecting them all is cheap whatever the table's size. */
const WALK_MIN_MATCHES = 2000;
/**
 * Below this many estimated matches, a page by bug number collects the matches and sorts them, and
 * is never left to walk an index by number: walking open bugs by number (ix_bugs_open_id) for a
 * word in none of them reads all 400,000 (measured: 3.9 s). The planner guesses a word its
 * statistics do not know (search_vector's target is 400: 4,000 words) at ~380 bugs in a million.
 */
const RARE_MATCHES = 1000;
/**
 * A walk: no bitmap (every match first) and no sequential scan (which the planner picks when it
 * underestimates the matches and expects a long walk); what remains is an index in the right order.
 */
const WALK_ON = 'SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off';
/**
 * JIT planning costs more than these queries take (measured: +33–110 ms); parallel workers cost
 * more than they save when every core already serves a request; bitmaps of common words stay
 * exact (lossy pages make PostgreSQL recheck whole pages).
 */
const SEARCH_SETTINGS = `SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL work_mem = '32MB'`;
/** How long the planner's row count of bugs is reused. */
const RELTUPLES_TTL_MS = 60_000;
/** How long, and for how many searches, the planner's estimates of matches are reused. */
const ESTIMATE_TTL_MS = 60_000;
const ESTIMATES_KEPT = 2000;
/** Orders with an index to walk (bugs.id, bugs.updated_at; open bugs by heat and by priority). */
const WALKABLE_SORTS = new Set<BugSort>(['relevance', 'updated', 'created', 'id', 'heat', 'priority']);
/** Orders whose index holds open bugs only (ix_bugs_open_heat, ix_bugs_open_priority). */
const OPEN_ONLY_SORTS = new Set<BugSort>(['heat', 'priority']);
/** A summary word in at most this many bugs is distinctive enough to suggest duplicates alone. */
const DUPLICATE_SOLO_MAX = 300;
/** Summary words in more than this share of all bugs are too common to find duplicates with. */
const DUPLICATE_COMMON_SHARE = 0.01;
/** Words in up to this share of all bugs may pair with a lone distinctive word (not glue words). */
const DUPLICATE_PARTNER_SHARE = 0.1;
/** Candidates less similar than this (pg_trgm similarity) are not suggested. */
const DUPLICATE_MIN_SIMILARITY = 0.15;

/** Collects SQL conditions with positional parameters. */
export class Sql {
  readonly where: string[] = [];
  readonly params: unknown[] = [];
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/** A phrase whose rarest adjacent-word pair is in more than this share of bugs is common. */
const PHRASE_PAIRS_COMMON = 0.005;
/** How many terms' facts are kept (see termFacts). */
const TERMS_KEPT = 5000;
/** How long the pair statistics (refreshed by ANALYZE) are reused. */
const PAIR_STATS_TTL_MS = 10 * 60_000;

/** Text searched as a phrase: quoted, or CJK (a phrase of bigrams). */
const isPhrase = (t: { text: string; phrase: boolean }): boolean => t.phrase || CJK.test(t.text);

const like = (v: string): string => `%${v.replace(/[\\%_]/g, '\\$&')}%`;
const lower = (values: string[]): string[] => values.map((v) => v.toLowerCase());

export interface SearchCriteria {
  q?: string;
  product?: string;
  component?: string;
  sig?: string;
  status?: string[];
  severity?: string;
  priority?: string;
  assignee?: string;
  reporter?: string;
  /** Only bugs created after this moment (watched searches). */
  createdAfter?: Date;
}

interface Cursor {
  v: string | number | null;
  id: number;
}

/**
 * Bug search: Bugzilla quicksearch on top of PostgreSQL full text (words as prefixes, phrases, CJK
 * bigrams) and pg_trgm (`summary:` substrings, duplicate hints' similarity). Every query carries
 * the visibility predicate.
 */
@Injectable()
export class BugSearchService {
  private pairStats: { at: number; freq: Map<string, number> } | null = null;
  private reltuples: { at: number; n: number } | null = null;
  private readonly estimates = new Map<string, { at: number; n: number }>();
  /** What each search term's text gives (see termFacts), by termKey, most recently used last. */
  private readonly termFactsKept = new Map<string, TermFacts>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Builds the WHERE clause; exported for the Bugzilla REST layer and feeds. */
  async build(viewer: BugViewer, c: SearchCriteria): Promise<BuiltSearch> {
    const qs = parseQuickSearch(c.q ?? '');
    const [names, terms, stats] = await Promise.all([
      this.resolveNames(qs, c),
      this.termFacts(qs.text),
      qs.text.some((t) => isPhrase(t)) ? this.commonPairs() : new Map<string, number>(),
    ]);
    const { pairs, common } = phrasePairs(qs.text, terms, stats);
    const sql = new Sql();
    const vis = visibleBugRawSql('b', viewer, sql.params.length + 1);
    if (vis.params.length) sql.params.push(...vis.params);
    sql.where.push(vis.sql);

    // The products the search is limited to (every positive product condition), if any.
    let products: number[] | undefined;
    const productLists = qs.filters
      .filter((f) => f.field === 'product' && !f.negated)
      .map((f) => f.values.flatMap((v) => names.products.get(v.toLowerCase()) ?? []));
    if (c.product) productLists.push(names.products.get(c.product.toLowerCase()) ?? []);
    for (const list of productLists) products = products ? products.filter((p) => list.includes(p)) : list;
    // A component that is both a package and a general component (`component:kernel` with no
    // product) is an OR, which no ordered index answers: the first such condition is noted, and
    // a walk goes down each part's own index (see search).
    let split: BuiltSearch['split'];
    const component = (values: string[]) => {
      const parts = componentParts(sql, ...componentIds(names, values, products));
      if (parts.length === 2 && !split) split = { index: sql.where.length, arms: [parts[0], parts[1]] };
      sql.where.push(anyOf(parts));
    };
    for (const f of qs.filters) {
      if (f.field === 'component' && !f.negated) {
        component(f.values);
        continue;
      }
      const cond = this.filterSql(sql, viewer, f, names, products);
      if (cond) sql.where.push(f.negated ? `NOT (${cond})` : cond);
    }
    // Conditions on common phrases (their index in sql.where) and their share of bugs.
    const commonConds: number[] = [];
    let phraseShare = 1;
    for (const t of qs.text) {
      let cond: string;
      if (t.text.length === 1 && CJK.test(t.text)) {
        // One CJK character has no bigram or trigram: a plain substring test on the summary.
        cond = `b.summary ILIKE ${sql.p(like(t.text))}`;
      } else {
        const tsq = `b.search_vector @@ ${termQuery(sql, terms, t)}`;
        const pair = isPhrase(t) ? pairs.get(t.text) : undefined;
        // A phrase: the bugs that have each pair of its adjacent words (bug_search_pairs, a GIN
        // index that finds a rare phrase of common words directly), then the phrase itself. (Even
        // for two words, whose one pair is the phrase, the phrase test stays: without it the
        // planner loses the search vector's index and walked every open bug for "null pointer".)
        cond = pair
          ? `(EXISTS (SELECT 1 FROM bug_search_pairs sp WHERE sp.bug_id = b.id AND sp.pairs @@ ${sql.p(pair)}::tsquery) AND ${tsq})`
          : tsq;
      }
      if (!t.negated && common.has(t.text)) {
        commonConds.push(sql.where.length);
        phraseShare = Math.min(phraseShare, common.get(t.text)!);
      }
      sql.where.push(t.negated ? `NOT (${cond})` : cond);
    }

    // Structured filters from the form, AND-ed with the quicksearch.
    if (c.product) sql.where.push(idsSql(sql, 'b.product_id', names.products.get(c.product.toLowerCase())));
    if (c.component) component([c.component]);
    if (c.sig) sql.where.push(idsSql(sql, 'b.sig_id', names.sigs.get(c.sig.toLowerCase())));
    if (c.severity) sql.where.push(`b.severity = ${sql.p(c.severity)}`);
    if (c.priority) sql.where.push(`b.priority = ${sql.p(c.priority)}`);
    if (c.assignee) sql.where.push(idsSql(sql, 'b.assignee_id', names.users.get(c.assignee.toLowerCase())));
    if (c.reporter) sql.where.push(idsSql(sql, 'b.reporter_id', names.users.get(c.reporter.toLowerCase())));
    if (c.createdAfter) sql.where.push(`b.created_at > ${sql.p(c.createdAfter)}`);
    if (c.status?.length) sql.where.push(`b.status = ANY(${sql.p(c.status)})`);
    else if (!qs.hasStatusFilter) sql.where.push(`b.status IN ('UNCONFIRMED', 'CONFIRMED', 'IN_PROGRESS')`);
    // The planner multiplies a phrase's word frequencies as if they were independent; a Chinese
    // word's bigrams always come together, so it expects a few hundred matches where there are
    // 10^5. Callers walk their order's index when the search holds such a common phrase.
    const commonPhrase = commonConds.length > 0;
    const rest = commonPhrase ? sql.where.filter((_, i) => !commonConds.includes(i)).join(' AND ') : undefined;
    return {
      sql,
      qs,
      terms,
      commonPhrase,
      withoutCommon: rest === undefined ? undefined : { where: rest, share: phraseShare },
      split,
    };
  }

  /**
   * The ids behind the names a search mentions (people, packages and general components, products,
   * SIGs), in one statement before the search is built. The search then compares ids the planner
   * can see: `assignee_id = (SELECT id FROM users …)` hid the value, so the planner guessed a
   * busy assignee's 40,000 open bugs as 1,300, and a package-or-component subquery pair left no
   * ordered index to walk.
   */
  private async resolveNames(qs: QuickSearch, c: SearchCriteria): Promise<Names> {
    const want = {
      users: new Set<string>(),
      components: new Set<string>(),
      products: new Set<string>(),
      sigs: new Set<string>(),
    };
    const add = (set: Set<string>, values: string[]) => values.forEach((v) => set.add(v.toLowerCase()));
    for (const f of qs.filters) {
      if (USER_FIELDS.has(f.field)) add(want.users, f.values);
      else if (f.field === 'component') add(want.components, f.values);
      else if (f.field === 'product') add(want.products, f.values);
      else if (f.field === 'sig') add(want.sigs, f.values);
    }
    if (c.assignee) add(want.users, [c.assignee]);
    if (c.reporter) add(want.users, [c.reporter]);
    if (c.component) add(want.components, [c.component]);
    if (c.product) add(want.products, [c.product]);
    if (c.sig) add(want.sigs, [c.sig]);
    const names: Names = {
      users: new Map(),
      packages: new Map(),
      components: new Map(),
      products: new Map(),
      sigs: new Map(),
      componentProduct: new Map(),
      packageProducts: new Set(),
    };
    if (!want.users.size && !want.components.size && !want.products.size && !want.sigs.size) return names;
    // (extra: a component's product; whether a product's components are its packages)
    // (prepared: parsing and planning this UNION took ten times as long as running it)
    const rows = await preparedQuery<{ kind: NameKind; name: string; id: number; extra: number | null }>(
      this.dataSource,
      `SELECT 'users' AS kind, lower(username) AS name, id, NULL::int AS extra FROM users WHERE lower(username) = ANY($1::text[])
       UNION ALL SELECT 'packages', lower(name), id, NULL FROM packages WHERE lower(name) = ANY($2::text[])
       UNION ALL SELECT 'components', lower(name), id, product_id FROM bug_components WHERE lower(name) = ANY($2::text[])
       UNION ALL SELECT 'products', lower(name), id, package_components::int FROM bug_products WHERE lower(name) = ANY($3::text[])
       UNION ALL SELECT 'sigs', slug, id, NULL FROM sigs WHERE slug = ANY($4::text[])`,
      [[...want.users], [...want.components], [...want.products], [...want.sigs]],
    );
    for (const r of rows) {
      names[r.kind].set(r.name, [...(names[r.kind].get(r.name) ?? []), r.id]);
      if (r.kind === 'components' && r.extra !== null) names.componentProduct.set(r.id, r.extra);
      if (r.kind === 'products' && r.extra === 1) names.packageProducts.add(r.id);
    }
    return names;
  }

  /** The condition "in one of these components" (packages or general components), names resolved now. */
  async componentCondition(values: string[], productNames: string[] = []): Promise<(sql: Sql) => string> {
    const filters: FieldFilter[] = values.length ? [{ field: 'component', values, negated: false }] : [];
    if (values.length && productNames.length) filters.push({ field: 'product', values: productNames, negated: false });
    const names = await this.resolveNames({ text: [], filters, hasStatusFilter: false, errors: [] }, {});
    const products = productNames.length
      ? productNames.flatMap((p) => names.products.get(p.toLowerCase()) ?? [])
      : undefined;
    return (sql) => componentSql(sql, names, values, products);
  }

  /**
   * What each term's text gives, worked out by PostgreSQL once per term and kept (immutable
   * functions of the text alone, so nothing goes stale): its tsquery (the parser, och_text_query's
   * CJK bigrams), and for a phrase its adjacent-word pairs. The searches then carry the tsquery as a
   * constant: left as function calls, they were evaluated while planning every statement that
   * mentions them (a Chinese term's och_text_query: 0.65 ms of a 1.1 ms plan, measured; an English
   * prefix 0.1 ms). Terms not seen before cost one statement.
   */
  private async termFacts(text: QuickSearch['text']): Promise<Map<string, TermFacts>> {
    const out = new Map<string, TermFacts>();
    const unknown = new Map<string, QuickSearch['text'][number]>();
    for (const t of text) {
      const key = termKey(t);
      const known = this.termFactsKept.get(key);
      if (known) {
        // (a Map keeps insertion order: used entries move to the end, the oldest go first)
        this.termFactsKept.delete(key);
        this.termFactsKept.set(key, known);
        out.set(key, known);
      } else unknown.set(key, t);
    }
    if (!unknown.size) return out;
    const keys = [...unknown.keys()];
    const terms = [...unknown.values()];
    const rows = await this.dataSource.query<
      { i: string; q: string | null; pair_q: string | null; pairs: string[] | null }[]
    >(
      `SELECT x.i, (CASE WHEN x.words THEN och_text_query(x.t, x.phrase) ELSE och_prefix_query(x.t) END)::text AS q,
              CASE WHEN x.is_phrase THEN och_pair_query(x.t)::text END AS pair_q,
              CASE WHEN x.is_phrase THEN tsvector_to_array(och_word_pairs(to_tsvector('simple', och_cjk_split(x.t)))) END AS pairs
         FROM unnest($1::text[], $2::boolean[], $3::boolean[], $4::boolean[]) WITH ORDINALITY AS x(t, phrase, words, is_phrase, i)`,
      [terms.map((t) => t.text), terms.map((t) => t.phrase), terms.map(usesTextQuery), terms.map(isPhrase)],
    );
    for (const r of rows) {
      const key = keys[Number(r.i) - 1];
      const facts = { tsq: r.q, pairQuery: r.pair_q, pairs: r.pairs ?? [] };
      this.termFactsKept.set(key, facts);
      out.set(key, facts);
    }
    while (this.termFactsKept.size > TERMS_KEPT) this.termFactsKept.delete(this.termFactsKept.keys().next().value!);
    return out;
  }

  /** The share of bugs holding each common pair, from the planner's statistics (cached a while). */
  private async commonPairs(): Promise<Map<string, number>> {
    if (this.pairStats && Date.now() - this.pairStats.at < PAIR_STATS_TTL_MS) return this.pairStats.freq;
    const rows: { e: string[] | null; f: number[] | null }[] = await this.dataSource.query(
      `SELECT most_common_elems::text::text[] AS e, most_common_elem_freqs AS f FROM pg_stats
        WHERE schemaname = current_schema() AND tablename = 'bug_search_pairs' AND attname = 'pairs'`,
    );
    const freq = new Map<string, number>();
    const { e, f } = rows[0] ?? { e: null, f: null };
    if (e && f) e.forEach((pair, i) => freq.set(pair, f[i]));
    this.pairStats = { at: Date.now(), freq };
    return freq;
  }

  private filterSql(
    sql: Sql,
    viewer: BugViewer,
    f: FieldFilter,
    names: Names,
    products: number[] | undefined,
  ): string | null {
    const v = f.values;
    const idsOf = (map: Map<string, number[]>) => v.flatMap((x) => map.get(x.toLowerCase()) ?? []);
    // One id becomes `column = $n`: an equality the planner can walk an index with (e.g. someone's
    // open bugs, newest first) instead of collecting every match to sort it.
    const users = (column: string) => idsSql(sql, column, idsOf(names.users));
    switch (f.field) {
      case 'id':
        return `b.id = ANY(${sql.p(v.map(Number))}::int[])`;
      case 'alias':
        return `EXISTS (SELECT 1 FROM bug_aliases ba WHERE ba.bug_id = b.id AND lower(ba.alias) = ANY(${sql.p(lower(v))}))`;
      case 'status':
        return `b.status = ANY(${sql.p(v)})`;
      case 'resolution':
        return `b.resolution = ANY(${sql.p(v)})`;
      case 'product':
        return idsSql(sql, 'b.product_id', idsOf(names.products));
      case 'component':
        return componentSql(sql, names, v, products);
      case 'version':
        return `b.version = ANY(${sql.p(v)})`;
      case 'severity':
        return `b.severity = ANY(${sql.p(v)})`;
      case 'priority':
        return `b.priority = ANY(${sql.p(v)})`;
      case 'hardware':
        return `lower(b.hardware) = ANY(${sql.p(lower(v))})`;
      case 'assignee':
        return users('b.assignee_id');
      case 'reporter':
        return users('b.reporter_id');
      case 'qa':
        return users('b.qa_contact_id');
      case 'cc':
        return `EXISTS (SELECT 1 FROM bug_cc c WHERE c.bug_id = b.id AND ${users('c.user_id')})`;
      case 'commenter':
        return `EXISTS (SELECT 1 FROM bug_comments cm WHERE cm.bug_id = b.id ${viewer.seesAllPrivate ? '' : 'AND NOT cm.is_private'} AND ${users('cm.author_id')})`;
      case 'keywords':
        return `EXISTS (SELECT 1 FROM unnest(b.keywords) k WHERE lower(k) = ANY(${sql.p(lower(v))}))`;
      case 'sig':
        return idsSql(sql, 'b.sig_id', idsOf(names.sigs));
      case 'cve':
        return `b.cve_ids && ${sql.p(v.map((x) => x.toUpperCase()))}::text[]`;
      case 'whiteboard':
        return `b.whiteboard ILIKE ANY(${sql.p(v.map(like))})`;
      case 'url':
        return `b.url ILIKE ANY(${sql.p(v.map(like))})`;
      case 'summary':
        return `b.summary ILIKE ALL(${sql.p(v.map(like))})`;
      case 'target':
        return `b.target_release = ANY(${sql.p(v)})`;
      case 'flag':
        return `EXISTS (SELECT 1 FROM bug_flags fl WHERE fl.bug_id = b.id AND fl.name = ANY(${sql.p(v.map((x) => x.replace(/\?.*$/, '').toLowerCase()))}))`;
      case 'is': {
        const parts = v.map((x) => {
          switch (x) {
            case 'open':
              return `b.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
            case 'closed':
              return `b.status IN (${CLOSED_STATUSES.map((s) => `'${s}'`).join(', ')})`;
            case 'private':
            case 'security':
              return 'b.is_private';
            case 'unassigned':
              return 'b.assignee_id IS NULL';
            case 'affected':
              return viewer.id === null
                ? 'FALSE'
                : `EXISTS (SELECT 1 FROM bug_affects af WHERE af.bug_id = b.id AND af.user_id = ${sql.p(viewer.id)})`;
            default:
              return 'FALSE';
          }
        });
        return `(${parts.join(' OR ')})`;
      }
      default:
        return null;
    }
  }

  async search(actor: Actor | null, q: BugSearchQueryDto): Promise<BugSearchPage> {
    const viewer = bugViewer(actor);
    const { sql, qs, terms, commonPhrase, withoutCommon, split } = await this.build(viewer, q);
    const hasText = qs.text.some((t) => !t.negated);
    // Newest change first, as in Bugzilla; relevance on request (it ranks the newest matches only).
    const sort: BugSort = q.sort ?? 'updated';
    if (sort === 'relevance' && !hasText)
      throw badRequest('relevance_needs_text', 'Sorting by relevance needs words to search for.');
    const limit = q.limit ?? 25;
    const cursor = decodeSearchCursor(q.cursor);
    const where = sql.where.join(' AND ');
    const countParams = sql.params.slice(0, countParamLength(where));
    // With words, the planner's estimate of the matches comes first: it decides how to look.
    // (A common phrase's words always come together, which the planner cannot know: the rest of
    // the search is estimated instead, times the share of bugs holding the phrase's rarest pair.)
    const estimate = !hasText
      ? null
      : withoutCommon
        ? Math.round(
            (await this.estimate(withoutCommon.where, sql.params.slice(0, countParamLength(withoutCommon.where)))) *
              withoutCommon.share,
          )
        : await this.estimate(where, countParams);
    const walk =
      estimate !== null &&
      WALKABLE_SORTS.has(sort) &&
      (!OPEN_ONLY_SORTS.has(sort) || (!q.status?.length && !qs.hasStatusFilter)) &&
      (commonPhrase || (await this.walkPays(estimate, sort === 'relevance' ? RANK_CANDIDATES : limit + 1)));

    const settings = walk ? `${SEARCH_SETTINGS}; ${WALK_ON}` : SEARCH_SETTINGS;
    const rare = !walk && estimate !== null && estimate < RARE_MATCHES;
    let rows: (ListRow & { v: string | number | null })[] = [];
    let count: { n: number; estimated: boolean } | null = null;
    // The page and its list rows in one statement (LIST_ROW_COLUMNS): one round trip.
    if (sort === 'relevance') {
      const tsq = qs.text
        .filter((t) => !t.negated)
        .map((t) => termQuery(sql, terms, t))
        .join(' && ');
      const keyset = cursor
        ? `WHERE (c.rank < ${sql.p(cursor.v)}::real OR (c.rank = ${sql.p(cursor.v)}::real AND c.id < ${sql.p(cursor.id)}))`
        : '';
      // The newest RANK_CANDIDATES matches, ranked; one row even when nothing matches (or the
      // cursor is past the end), to carry the number of candidates.
      const found = await this.oneShot<ListRow & { v: string | null; n: number }>(
        settings,
        `WITH c AS MATERIALIZED (
           SELECT b.id, ts_rank_cd(b.summary_vector, ${tsq}) AS rank FROM bugs b WHERE ${where}
            ORDER BY ${rare ? 'b.id + 0' : 'b.id'} DESC LIMIT ${RANK_CANDIDATES}),
         k AS (SELECT c.id, c.rank FROM c ${keyset} ORDER BY c.rank DESC, c.id DESC LIMIT ${limit + 1})
         SELECT k.rank::text AS v, t.n, ${LIST_ROW_COLUMNS}
           FROM (SELECT count(*)::int AS n FROM c) t LEFT JOIN k ON true LEFT JOIN bugs b ON b.id = k.id
          ORDER BY k.rank DESC, k.id DESC`,
        sql.params,
      );
      rows = found.filter((r) => r.id !== null);
      // fewer candidates than the cap: that is every match, the exact count
      if (found[0].n < RANK_CANDIDATES) count = { n: found[0].n, estimated: false };
    } else {
      const spec = SORTS[sort];
      // (few matches by number: collected and sorted, see RARE_MATCHES)
      const order = rare && spec.order === 'b.id DESC' ? 'b.id + 0 DESC' : spec.order;
      const keyset = cursor ? ` AND ${spec.after(sql, cursor)}` : '';
      // A first page of few expected matches, found without a walk, collects them all to sort
      // them anyway: counting them there (a window over every match) saves running the search
      // again to count it (measured: a rare phrase, 249 matches, 5 ms twice).
      const countHere = !walk && !cursor && estimate !== null && estimate <= COUNT_CAP;
      const select = (w: string) =>
        `SELECT b.id, b.updated_at AS u, ${spec.value} AS v${countHere ? ', count(*) OVER ()::int AS total' : ', NULL::int AS total'}
           FROM bugs b WHERE ${w}${keyset} ORDER BY ${order} LIMIT ${limit + 1}`;
      // An OR of two components (see build): each part is planned on its own, free to walk its
      // own index (ix_bugs_open_package, ix_bugs_open_component), and the two pages merge; the
      // OR left one walk of every open bug, each tested (measured: 1,700 rows for a page, now 150).
      const page =
        split && sort === 'updated' && !countHere
          ? `SELECT * FROM (${split.arms
              .map((arm) => `(${select(sql.where.map((w, i) => (i === split.index ? arm : w)).join(' AND '))})`)
              .join(' UNION ')}) x ORDER BY x.u DESC, x.id DESC LIMIT ${limit + 1}`
          : select(where);
      const found = await this.oneShot<ListRow & { v: string | number | null; total: number | null }>(
        settings,
        `WITH page AS MATERIALIZED (${page})
         SELECT page.v, page.total, ${LIST_ROW_COLUMNS} FROM page JOIN bugs b ON b.id = page.id ORDER BY ${order}`,
        sql.params,
      );
      rows = found;
      if (countHere) count = { n: found[0]?.total ?? 0, estimated: false };
    }
    // a first page shorter than the page size is the whole result: no need to count
    count ??=
      !cursor && rows.length <= limit
        ? { n: rows.length, estimated: false }
        : await this.cappedCount(where, countParams, estimate);
    const n = Math.max(count.n, rows.length);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(listItemFromRow),
      nextCursor: rows.length > limit ? encodeSearchCursor({ v: last.v, id: last.id }) : null,
      total: count.estimated
        ? { value: n, more: false, estimated: true }
        : { value: Math.min(n, COUNT_CAP), more: n > COUNT_CAP, estimated: false },
      sort,
      warnings: qs.errors.map((e) => ({ token: e.token, message: e.message })),
    };
  }

  /**
   * One statement sent in one simple-protocol message after the settings it runs under
   * (`SET LOCAL …; SELECT …`, an implicit transaction: the settings end with it), its values
   * inlined as literals (inlineParams). A search is a couple of statements, and on this kind of
   * machine every round trip costs: a transaction of its own (BEGIN with the settings, the
   * statement, COMMIT) took three where this takes one, and no connection is held in between.
   */
  private async oneShot<R>(settings: string, text: string, params: unknown[]): Promise<R[]> {
    const statement = inlineParams(text, params);
    const res = (await onConnection(this.dataSource, (client) =>
      client.query(settings ? `${settings}; ${statement}` : statement),
    )) as QueryResult | QueryResult[];
    return (Array.isArray(res) ? res[res.length - 1] : res).rows as R[];
  }

  /**
   * The number of matches up to COUNT_CAP + 1 within COUNT_BUDGET_MS; past the budget, the
   * planner's estimate.
   */
  private async cappedCount(
    where: string,
    params: unknown[],
    known: number | null = null,
  ): Promise<{ n: number; estimated: boolean }> {
    // The planner's estimate costs a planning pass; counting a common word's matches costs reading
    // them. When the estimate is far past the cap, "about N" is all the count can say anyway.
    const estimate = known ?? (await this.estimate(where, params));
    if (estimate > COUNT_CAP * ESTIMATE_TRUST_FACTOR) return { n: estimate, estimated: true };
    try {
      // (a count collects the matches: never a walk)
      const [{ n }] = await this.oneShot<{ n: number }>(
        `${SEARCH_SETTINGS}; SET LOCAL statement_timeout = ${COUNT_BUDGET_MS}`,
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM bugs b WHERE ${where} LIMIT ${COUNT_CAP + 1}) x`,
        params,
      );
      return { n, estimated: false };
    } catch (e) {
      if ((e as { code?: string }).code !== '57014') throw e;
      return { n: estimate, estimated: true };
    }
  }

  /**
   * The planner's estimate of the matches: one planning pass (0.5–2 ms at 1M bugs). It changes
   * only with the table's statistics (ANALYZE), so the same search within a minute reuses it —
   * results are never cached, only this guess of their number.
   */
  private async estimate(where: string, params: unknown[]): Promise<number> {
    const key = `${where}\u0000${JSON.stringify(params)}`;
    const known = this.estimates.get(key);
    if (known && Date.now() - known.at < ESTIMATE_TTL_MS) return known.n;
    const plan = await this.oneShot<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
      '',
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM bugs b WHERE ${where}`,
      params,
    );
    const n = Math.round(plan[0]['QUERY PLAN'][0].Plan['Plan Rows']);
    this.estimates.delete(key);
    this.estimates.set(key, { at: Date.now(), n });
    // (a Map keeps insertion order: the first key is the oldest)
    if (this.estimates.size > ESTIMATES_KEPT) this.estimates.delete(this.estimates.keys().next().value!);
    return n;
  }

  /** The planner's idea of how many bugs there are (pg_class.reltuples), re-read once a minute. */
  private async bugCount(): Promise<number> {
    if (this.reltuples && Date.now() - this.reltuples.at < RELTUPLES_TTL_MS) return this.reltuples.n;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT greatest(reltuples, 0)::float8 AS total FROM pg_class WHERE oid = 'bugs'::regclass`,
    );
    this.reltuples = { at: Date.now(), n: total };
    return total;
  }

  /**
   * Whether walking the order's own index, testing each bug, reads fewer rows than collecting every
   * match from the indexes (a bitmap) and sorting them: a walk reads about wanted × bugs / matches
   * rows, a bitmap about `matches`. Left to itself, the planner often picks the bitmap for common
   * words or a busy assignee — 10^5 posting entries and heap rows, 0.1–1.5 s at 1M bugs, where the
   * walk fills the page after a few thousand rows.
   */
  private async walkPays(estimate: number, wanted: number): Promise<boolean> {
    if (estimate < WALK_MIN_MATCHES) return false;
    return estimate * estimate > wanted * (await this.bugCount());
  }

  /** Ids only, newest first: for feeds, watched searches and the Bugzilla REST layer. */
  async ids(actor: Actor | null, c: SearchCriteria, limit: number, offset = 0): Promise<number[]> {
    const viewer = bugViewer(actor);
    const { sql, commonPhrase } = await this.build(viewer, c);
    return this.orderedIds(sql.where.join(' AND '), sql.params, 'DESC', limit, offset, commonPhrase);
  }

  /** A page of ids matching `where` (built by build()), by id; walks the primary key when that pays. */
  async orderedIds(
    where: string,
    params: unknown[],
    order: 'ASC' | 'DESC',
    limit: number,
    offset: number,
    commonPhrase = false,
  ): Promise<number[]> {
    const wanted = Math.floor(limit) + Math.floor(offset);
    const estimate = commonPhrase ? null : await this.estimate(where, params);
    const walk = estimate === null || (await this.walkPays(estimate, wanted));
    const byId = !walk && estimate < RARE_MATCHES ? 'b.id + 0' : 'b.id';
    const rows = await this.oneShot<{ id: number }>(
      walk ? `${SEARCH_SETTINGS}; ${WALK_ON}` : SEARCH_SETTINGS,
      `SELECT b.id FROM bugs b WHERE ${where} ORDER BY ${byId} ${order} LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** List rows for these ids, in the given order. */
  listItems(ids: number[]) {
    return loadListItems(this.dataSource.manager, ids);
  }

  /**
   * Duplicate hints while a summary is typed. Candidates come from the full-text index using the
   * summary's rarest words (bug_term_stats, chosen by och_duplicate_query; looked up by
   * och_duplicate_scans in scans that each require one of them), so the trigram
   * similarity that orders them is computed for a few hundred rows, not the whole table.
   * Duplicates fold into their original. One statement: the words, the candidates and their
   * duplicate chains.
   */
  async duplicates(actor: Actor | null, product: string, summary: string): Promise<DuplicateCandidateView[]> {
    const viewer = bugViewer(actor);
    // A duplicate shares distinctive words with the summary: candidates are the bugs whose
    // summary has two of its four rarest words (or one word rare enough on its own). GIN
    // intersects the posting lists, so few rows are read however common each word is. Words
    // no summary has (yet, for the statistics) find nothing; they are used only to fill up.
    // Words in more than DUPLICATE_COMMON_SHARE of all bugs ("fails", "on") say nothing and
    // would make GIN intersect huge posting lists: they are left out. One distinctive word that
    // is too common to stand alone ("linker" in 4,000 summaries) goes with each of the next
    // rarest words that are not glue words, so that GIN intersects instead of handing over
    // every bug with that word.
    const total = await this.bugCount();
    const sql = new Sql();
    const vis = visibleBugRawSql('b', viewer, 1);
    sql.params.push(...vis.params);
    const text = sql.p(summary);
    // "id + 0" sorts the few candidates instead of walking the primary key backwards computing
    // the summary vector of every bug until 300 match; "product_id + 0" keeps the planner from AND-ing
    // them with most of the table from ix_bugs_product_status (measured: 90 ms). Each kept
    // candidate's original is the last visible bug up its duplicate chain.
    const rows = await preparedQuery<{
      kind: 'c' | 'o';
      id: number;
      summary: string;
      status: string;
      resolution: string | null;
      dupe_of_id: number | null;
      sim: number | null;
      start: number | null;
    }>(
      this.dataSource,
      `WITH RECURSIVE
       q AS (SELECT och_duplicate_scans(${text}, ${sql.p(total)}::float8, ${DUPLICATE_SOLO_MAX}, ${DUPLICATE_COMMON_SHARE},
                                        ${DUPLICATE_PARTNER_SHARE}) AS scans),
       cand AS MATERIALIZED (
         SELECT c.*, similarity(c.summary, ${text}) AS sim FROM (
           SELECT b.id, b.summary, b.status, b.resolution, b.dupe_of_id FROM bugs b
            WHERE b.summary_vector @@ ANY((SELECT scans FROM q)::tsquery[])
              AND b.product_id + 0 IN (SELECT id FROM bug_products WHERE lower(name) = lower(${sql.p(product)}))
              AND ${vis.sql}
            ORDER BY b.id + 0 DESC LIMIT 300) c
         ORDER BY sim DESC, c.id DESC LIMIT 30),
       up(start, id, depth) AS (
         SELECT DISTINCT dupe_of_id, dupe_of_id, 0 FROM cand WHERE sim >= ${DUPLICATE_MIN_SIMILARITY} AND dupe_of_id IS NOT NULL
         UNION ALL
         SELECT up.start, b.dupe_of_id, up.depth + 1 FROM bugs b JOIN up ON b.id = up.id
          WHERE b.dupe_of_id IS NOT NULL AND up.depth < 20),
       orig AS (
         SELECT DISTINCT ON (up.start) up.start, b.id, b.summary, b.status, b.resolution
           FROM up JOIN bugs b ON b.id = up.id WHERE ${vis.sql} ORDER BY up.start, up.depth DESC)
       SELECT 'c' AS kind, id, summary, status, resolution, dupe_of_id, sim, NULL::int AS start FROM cand
        WHERE sim >= ${DUPLICATE_MIN_SIMILARITY}
       UNION ALL
       SELECT 'o', id, summary, status, resolution, NULL, NULL, start FROM orig`,
      sql.params,
    );
    const kept = rows
      .filter((r) => r.kind === 'c')
      .map((r) => ({ ...r, sim: r.sim ?? 0 }))
      .sort((a, b) => b.sim - a.sim || b.id - a.id);
    const originals = new Map(rows.filter((r) => r.kind === 'o').map((r) => [r.start!, r]));
    const out = new Map<number, DuplicateCandidateView>();
    for (const r of kept) {
      let originalId = r.id;
      let original = { summary: r.summary, status: r.status, resolution: r.resolution };
      const chain = r.dupe_of_id === null ? undefined : originals.get(r.dupe_of_id);
      if (chain) {
        originalId = chain.id;
        original = chain;
      }
      const existing = out.get(originalId);
      if (existing) {
        if (originalId !== r.id) existing.via.push(r.id);
        existing.similarity = Math.max(existing.similarity, r.sim);
        continue;
      }
      out.set(originalId, {
        id: originalId,
        summary: original.summary,
        status: original.status,
        resolution: original.resolution,
        similarity: Math.round(r.sim * 1000) / 1000,
        via: originalId !== r.id ? [r.id] : [],
      });
      if (out.size >= 10) break;
    }
    return [...out.values()].sort((a, b) => b.similarity - a.similarity);
  }

  /** Rebuilds the summary-word document frequencies used to pick rare words for duplicate hints. */
  async refreshTermStats(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM bug_term_stats');
      await m.query(
        `INSERT INTO bug_term_stats (term, ndoc)
         SELECT word, ndoc FROM ts_stat('SELECT summary_vector FROM bugs WHERE summary_vector IS NOT NULL')`,
      );
      const [{ n }] = await m.query<{ n: number }[]>('SELECT count(*)::int AS n FROM bug_term_stats');
      return n;
    });
  }
}

/** A search's WHERE clause as build() makes it. */
export interface BuiltSearch {
  sql: Sql;
  qs: QuickSearch;
  /** What the terms' texts give (see termFacts), for ranking. */
  terms: Map<string, TermFacts>;
  /** The search holds a phrase found in many bugs (see phrasePairs): walk the order's index. */
  commonPhrase: boolean;
  /** With common phrases: the conditions without them, and the share of bugs holding the rarest of them. */
  withoutCommon?: { where: string; share: number };
  /** A condition `(arm OR arm)` at sql.where[index] whose arms each have an ordered index to walk. */
  split?: { index: number; arms: [string, string] };
}

/** What the names in a search stand for (lower-cased name → ids); see resolveNames. */
export interface Names {
  users: Map<string, number[]>;
  packages: Map<string, number[]>;
  components: Map<string, number[]>;
  products: Map<string, number[]>;
  sigs: Map<string, number[]>;
  /** General component id → its product's id. */
  componentProduct: Map<number, number>;
  /** The named products whose components are packages. */
  packageProducts: Set<number>;
}

type NameKind = 'users' | 'packages' | 'components' | 'products' | 'sigs';

const USER_FIELDS = new Set<FieldFilter['field']>(['assignee', 'reporter', 'qa', 'cc', 'commenter']);

/** `column` is one of these ids; no ids (a name nobody has) matches nothing. */
function idsSql(sql: Sql, column: string, ids: number[] | undefined): string {
  if (!ids?.length) return 'FALSE';
  return ids.length === 1 ? `${column} = ${sql.p(ids[0])}` : `${column} = ANY(${sql.p(ids)}::int[])`;
}

/**
 * A component is a package (owned by a SIG) or a product's general component; only the kinds the
 * names really are appear in the condition, so `component:kernel` is `package_id = $n`, which
 * walks ix_bugs_open_package newest first.
 */
function componentSql(sql: Sql, names: Names, values: string[], products?: number[]): string {
  const [packages, components] = componentIds(names, values, products);
  return anyOf(componentParts(sql, packages, components));
}

/** Conditions OR-ed: FALSE for none, the one as it is. */
const anyOf = (parts: string[]): string =>
  parts.length === 0 ? 'FALSE' : parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;

/** The package ids and general component ids of component names (see componentSql). */
function componentIds(names: Names, values: string[], products?: number[]): [number[], number[]] {
  const ids = (map: Map<string, number[]>) => values.flatMap((x) => map.get(x.toLowerCase()) ?? []);
  let packages = ids(names.packages);
  let components = ids(names.components);
  // Within named products, only their own general components, and packages only where packages
  // are components: `product:OpenCloudOS component:kernel` is the package, not the SIG product's
  // "Kernel" — one id, one ordered index to walk.
  if (products) {
    components = components.filter((c) => products.includes(names.componentProduct.get(c) ?? -1));
    if (!products.some((p) => names.packageProducts.has(p))) packages = [];
  }
  return [packages, components];
}

/** The package and general-component conditions a component name stands for (none, one or both). */
function componentParts(sql: Sql, packages: number[], components: number[]): string[] {
  return [idsSql(sql, 'b.package_id', packages), idsSql(sql, 'b.component_id', components)].filter(
    (x) => x !== 'FALSE',
  );
}

/** What a search term's text gives (see BugSearchService.termFacts). */
interface TermFacts {
  /** Its tsquery, as text (null: the text has no lexeme). */
  tsq: string | null;
  /** A phrase's adjacent-word pairs AND-ed, as tsquery text (null: no pair, or not a phrase). */
  pairQuery: string | null;
  /** Those pairs, each as a lexeme. */
  pairs: string[];
}

const termKey = (t: { text: string; phrase: boolean }): string => `${t.phrase ? 'p' : 'w'}:${t.text}`;

/** Phrases, CJK and very short words are matched as written (och_text_query); others as prefixes. */
const usesTextQuery = (t: { text: string; phrase: boolean }): boolean => isPhrase(t) || t.text.length < 3;

/**
 * The tsquery of one search term: a phrase (quoted, or CJK bigrams) as a phrase; a word as itself
 * and as a prefix (`hotplug` finds "hotplugging", `kern` "kernel") — prefix search in the GIN
 * index, where matching substrings of summaries through pg_trgm read the long posting lists of
 * every common trigram of the word (22 ms for a package name at 1M bugs). A constant worked out
 * by termFacts.
 */
function termQuery(sql: Sql, terms: Map<string, TermFacts>, t: { text: string; phrase: boolean }): string {
  const facts = terms.get(termKey(t));
  if (!facts) throw new Error(`search term "${t.text}" was not resolved`);
  return `${sql.p(facts.tsq)}::tsquery`;
}

/**
 * For each phrase of two or more words that is rare, the AND-ed pairs of its adjacent words (as
 * tsquery text). A common phrase (升级失败, a pair in most_common_elems of bug_search_pairs) is
 * left to the plain phrase test: its bugs come every few rows of a walk in the order's index,
 * while the pairs index would hand over 10^5 of them. `stats`: the share of bugs holding each
 * common pair (commonPairs).
 */
function phrasePairs(
  text: QuickSearch['text'],
  terms: Map<string, TermFacts>,
  stats: Map<string, number>,
): { pairs: Map<string, string>; common: Map<string, number> } {
  const pairs = new Map<string, string>();
  // common phrase → the share of bugs holding its rarest pair
  const common = new Map<string, number>();
  for (const t of text) {
    if (!isPhrase(t)) continue;
    const { pairQuery, pairs: each } = terms.get(termKey(t))!;
    if (!pairQuery) continue;
    const share = Math.min(...each.map((p) => stats.get(p) ?? 0));
    if (share < PHRASE_PAIRS_COMMON) pairs.set(t.text, pairQuery);
    else common.set(t.text, share);
  }
  return { pairs, common };
}

const SORTS: Record<
  Exclude<BugSort, 'relevance'>,
  { value: string; order: string; after: (sql: Sql, c: Cursor) => string }
> = {
  updated: {
    value: `to_char(b.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    order: 'b.updated_at DESC, b.id DESC',
    after: (sql, c) => `(b.updated_at, b.id) < (${sql.p(c.v)}::timestamp AT TIME ZONE 'UTC', ${sql.p(c.id)})`,
  },
  created: { value: 'b.id', order: 'b.id DESC', after: (sql, c) => `b.id < ${sql.p(c.id)}` },
  id: { value: 'b.id', order: 'b.id DESC', after: (sql, c) => `b.id < ${sql.p(c.id)}` },
  heat: {
    value: 'b.heat',
    order: 'b.heat DESC, b.id DESC',
    after: (sql, c) => `(b.heat, b.id) < (${sql.p(Number(c.v))}, ${sql.p(c.id)})`,
  },
  priority: {
    value: 'b.priority',
    order: 'b.priority ASC, b.id DESC',
    after: (sql, c) => `(b.priority > ${sql.p(c.v)} OR (b.priority = ${sql.p(c.v)} AND b.id < ${sql.p(c.id)}))`,
  },
};

/** The count query reuses the WHERE parameters only: the highest `$n` it mentions. */
function countParamLength(where: string): number {
  let max = 0;
  for (const m of where.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

export function encodeSearchCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');
}

export function decodeSearchCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number' || parsed[0] === null) &&
      Number.isInteger(parsed[1])
    ) {
      if (typeof parsed[0] === 'string' && !/^[0-9A-Za-z.:eT+-]{1,40}$/.test(parsed[0])) throw new Error('bad');
      return { v: parsed[0] as string | number | null, id: parsed[1] as number };
    }
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'The page cursor is not valid; start from the first page.');
}
