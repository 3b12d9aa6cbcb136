import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Actor, RequestMeta } from '../../common/actor';
import { flattenValidationErrors } from '../../common/validation';
import { AuthService } from '../auth/auth.service';
import { Authenticator } from '../auth/authenticator.service';
import { TokensService } from '../tokens/tokens.service';
import type { UserEntity } from '../users/user.entity';
import { type BugViewer, bugViewer } from '../bugs/bug-access';
import { BugAttachmentsService } from '../bugs/bug-attachments.service';
import { allowedTransitions } from '../bugs/bug-rules';
import { BugsService } from '../bugs/bugs.service';
import { CreateAttachmentDto, CreateBugDto, UpdateBugDto } from '../bugs/dto/bugs.dto';
import {
  BUG_PRIORITIES,
  BUG_RESOLUTIONS,
  BUG_SEVERITIES,
  BUG_STATUSES,
  CLOSED_STATUSES,
  OPEN_STATUSES,
} from '../bugs/quicksearch';
import { BugzillaError } from './bugzilla-errors';
import {
  applySet,
  bool,
  type FieldSelection,
  ints,
  list,
  one,
  type Params,
  pick,
  selection,
  setChange,
  str,
  strList,
  toBool,
  toDate,
  toInt,
  wants,
} from './bugzilla-params';
import {
  type Audience,
  BUG_EXTRA_FIELDS,
  bzAttachment,
  bzBug,
  bzComment,
  bzHistory,
  bzLogin,
  bzTime,
  bzUser,
  NEEDINFO_FLAG_TYPE,
} from './bugzilla.mapper';
import { type BugBundle, BugzillaRepository, LOGIN_TOKEN_NAME, type SearchExtra } from './bugzilla.repository';

export const BUGZILLA_VERSION = '5.0.4';
/** Login tokens live this long; a stale one makes the client ask the user to log in again. */
const LOGIN_TOKEN_DAYS = 30;
const LOGIN_TOKENS_KEPT = 10;
const SEARCH_DEFAULT_LIMIT = 1000;
const SEARCH_MAX_LIMIT = 10000;
/** Package components get ids in their own range so they never collide with general components. */
export const PACKAGE_COMPONENT_ID_BASE = 1_000_000;

const ALL = [...BUG_STATUSES] as string[];
/**
 * Status names from other Bugzilla workflows (python-bugzilla's `--status OPEN` sends Red Hat's
 * list) in ours. Unknown names match nothing, as in Bugzilla.
 */
const STATUS_ALIASES: Record<string, string[]> = {
  NEW: ['CONFIRMED'],
  REOPENED: ['CONFIRMED'],
  ASSIGNED: ['IN_PROGRESS'],
  POST: ['IN_PROGRESS'],
  MODIFIED: ['IN_PROGRESS'],
  ON_DEV: ['IN_PROGRESS'],
  ON_QA: ['IN_PROGRESS'],
  RELEASE_PENDING: ['IN_PROGRESS'],
  CLOSED: [...CLOSED_STATUSES],
  OPEN: [...OPEN_STATUSES],
  __OPEN__: [...OPEN_STATUSES],
  __CLOSED__: [...CLOSED_STATUSES],
  ALL,
  __ALL__: ALL,
};
/** On update, the one status a legacy name moves a bug to (`--close` sends CLOSED). */
const UPDATE_STATUS: Record<string, string> = {
  NEW: 'CONFIRMED',
  REOPENED: 'CONFIRMED',
  ASSIGNED: 'IN_PROGRESS',
  CLOSED: 'RESOLVED',
};

const ADVANCED_PARAM = /^(f|o|v|j|n)\d+$|^(field|type|value)\d+-\d+-\d+$|^email\w*\d+$|^longdesc/;

const UPDATE_KEYS = new Set([
  'ids',
  'id_or_alias',
  'summary',
  'version',
  'product',
  'component',
  'severity',
  'priority',
  'platform',
  'op_sys',
  'url',
  'whiteboard',
  'target_milestone',
  'cf_fixed_in',
  'cf_cve',
  'assigned_to',
  'qa_contact',
  'reset_qa_contact',
  'status',
  'resolution',
  'dupe_of',
  'keywords',
  'depends_on',
  'blocks',
  'see_also',
  'alias',
  'cc',
  'groups',
  'comment',
  'flags',
  'minor_update',
  'comment_tags',
  'is_markdown',
]);
const CREATE_KEYS = new Set([
  'product',
  'component',
  'version',
  'summary',
  'description',
  'comment',
  'severity',
  'priority',
  'platform',
  'op_sys',
  'assigned_to',
  'qa_contact',
  'cc',
  'keywords',
  'url',
  'whiteboard',
  'alias',
  'depends_on',
  'blocks',
  'see_also',
  'target_milestone',
  'cf_fixed_in',
  'cf_cve',
  'groups',
  'comment_is_private',
  'status',
  'is_markdown',
  'comment_tags',
]);
const CHANGE_FIELDS = [
  'alias',
  'summary',
  'status',
  'resolution',
  'product',
  'component',
  'version',
  'platform',
  'op_sys',
  'severity',
  'priority',
  'assigned_to',
  'qa_contact',
  'cc',
  'keywords',
  'whiteboard',
  'url',
  'see_also',
  'depends_on',
  'blocks',
  'dupe_of',
  'groups',
  'target_milestone',
  'cf_fixed_in',
  'cf_cve',
];

const requireLogin = (actor: Actor | null): Actor => {
  if (!actor) throw new BugzillaError(410, 'You must log in before using this part of Bugzilla.');
  return actor;
};
const audience = (actor: Actor | null): Audience => ({ loggedIn: actor !== null });
const noBug = (id: string | number): BugzillaError => new BugzillaError(101, `Bug #${id} does not exist.`);
const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);
const unspecified = (v: string | undefined): string | undefined =>
  v === undefined || ['---', 'unspecified', 'Unspecified', ''].includes(v) ? undefined : v;

async function validated<T extends object>(cls: new () => T, plain: Params): Promise<T> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const detail = flattenValidationErrors(errors)
      .map((e) => e.message)
      .join('; ');
    throw new BugzillaError(104, `Invalid field value: ${detail}`);
  }
  return dto;
}

/** Bugzilla 5's REST API on top of the bug tracker's services. */
@Injectable()
export class BugzillaService {
  constructor(
    private readonly repo: BugzillaRepository,
    private readonly bugs: BugsService,
    private readonly attachments: BugAttachmentsService,
    private readonly tokens: TokensService,
    private readonly authenticator: Authenticator,
    private readonly moduleRef: ModuleRef,
  ) {}

  // ---------------------------------------------------------------- session

  async login(p: Params, meta: RequestMeta): Promise<Params> {
    const login = one(p, 'login', 'Bugzilla_login');
    const password = one(p, 'password', 'Bugzilla_password');
    if (!login || password === undefined)
      throw new BugzillaError(50, 'The function requires the login and password parameters.');
    const auth = this.moduleRef.get(AuthService, { strict: false });
    const user = await auth.validateCredentials(login, password, meta);
    const actor = await this.authenticator.toActor(user);
    await this.repo.pruneLoginTokens(user.id, LOGIN_TOKENS_KEPT - 1);
    const created = await this.tokens.create(actor, LOGIN_TOKEN_NAME, LOGIN_TOKEN_DAYS, meta);
    return { id: user.id, token: created.token };
  }

  async logout(loginTokenId: number | undefined): Promise<Params> {
    if (loginTokenId !== undefined) await this.repo.revokeToken(loginTokenId);
    return {};
  }

  async validLogin(p: Params): Promise<Params> {
    const login = one(p, 'login');
    const secret = one(p, 'api_key', 'Bugzilla_api_key', 'token', 'Bugzilla_token');
    if (!login || !secret) throw new BugzillaError(50, 'The function requires the login and token parameters.');
    const user = await this.tokens.resolve(secret);
    const ok = !!user && [user.email.toLowerCase(), user.username.toLowerCase()].includes(login.trim().toLowerCase());
    return { result: ok };
  }

  whoami(actor: Actor | null, user: UserEntity | null | undefined): Params {
    requireLogin(actor);
    if (!user) throw new BugzillaError(410, 'You must log in before using this part of Bugzilla.');
    return { id: user.id, real_name: user.displayName ?? user.username, name: user.email, login: user.email };
  }

  async users(actor: Actor | null, p: Params): Promise<Params> {
    const ids = ints(p, 'ids');
    const names = list(p, 'names');
    const match = list(p, 'match');
    if (!ids.length && !names.length && !match.length)
      throw new BugzillaError(50, 'The function requires ids, names or match.');
    if (!actor && (ids.length || match.length))
      throw new BugzillaError(505, 'Logged-out users cannot use the "ids" or "match" argument to this function.');
    const a = audience(actor);
    const found = new Map<number, UserEntity>();
    for (const name of names) {
      const user = await this.repo.userByLogin(name);
      // Visitors may look people up by username only: an e-mail address must not be confirmable.
      if (!user || (!actor && user.username.toLowerCase() !== name.toLowerCase()))
        throw new BugzillaError(51, `There is no user named "${name}".`);
      found.set(user.id, user);
    }
    for (const u of await this.repo.usersByIds(ids)) found.set(u.id, u);
    const limit = Math.min(one(p, 'limit') !== undefined ? toInt(one(p, 'limit'), 'limit') || 1000 : 100, 1000);
    for (const q of match) for (const u of await this.repo.usersMatching(q, !!actor, limit)) found.set(u.id, u);
    const sel = selection(p);
    return { users: [...found.values()].map((u) => pick(bzUser(u, a, u.id === actor?.id), sel)) };
  }

  // ---------------------------------------------------------------- bugs

  private async bugObjects(actor: Actor | null, ids: number[], sel: FieldSelection): Promise<Params[]> {
    const viewer = bugViewer(actor);
    const a = audience(actor);
    const bundles = await this.repo.loadBugs(viewer, ids);
    const comments = wants(sel, 'comments', false)
      ? await this.repo.comments(
          viewer,
          bundles.map((b) => b.bug.id),
        )
      : null;
    return bundles.map((x) => {
      const obj = bzBug(x, a);
      if (comments) obj.comments = comments.filter((c) => c.bugId === x.bug.id).map((c) => bzComment(c, a));
      return pick(obj, sel, { always: ['id'], extra: BUG_EXTRA_FIELDS });
    });
  }

  private async visibleId(viewer: BugViewer, idOrAlias: string): Promise<number> {
    const id = await this.repo.visibleBugId(viewer, idOrAlias.trim());
    if (id === null) throw noBug(idOrAlias);
    return id;
  }

  async getBug(actor: Actor | null, idOrAlias: string, p: Params): Promise<Params> {
    const viewer = bugViewer(actor);
    const wanted = [idOrAlias, ...list(p, 'ids')];
    const permissive = bool(p, 'permissive') ?? false;
    const ids: number[] = [];
    const faults: Params[] = [];
    for (const w of wanted) {
      const id = await this.repo.visibleBugId(viewer, w);
      if (id !== null) ids.push(id);
      else if (permissive) faults.push({ id: w, faultString: `Bug #${w} does not exist.`, faultCode: 101 });
      else throw noBug(w);
    }
    return { bugs: await this.bugObjects(actor, [...new Set(ids)], selection(p)), faults };
  }

  async search(actor: Actor | null, p: Params): Promise<Params> {
    for (const key of Object.keys(p))
      if (ADVANCED_PARAM.test(key))
        throw new BugzillaError(
          108,
          `The advanced search parameter "${key}" is not supported here; use quicksearch= (see the search help).`,
        );
    const viewer = bugViewer(actor);
    const rawStatuses = list(p, 'status', 'bug_status');
    const statuses = rawStatuses.length
      ? [
          ...new Set(
            rawStatuses.flatMap((s) => {
              const up = s.trim().toUpperCase().replace(/-/g, '_');
              return (BUG_STATUSES as readonly string[]).includes(up) ? [up] : (STATUS_ALIASES[up] ?? []);
            }),
          ),
        ]
      : ALL;
    // Products and people are looked up first and compared by id: with the ids as values, the
    // planner reads how many bugs each has from its statistics (a busy assignee has 10^5) and
    // picks the plan to match, where subqueries left it guessing (measured: 0.5–2 s for a busy
    // assignee's bugs by id, which a walk of the primary key answers from a few thousand rows).
    const people = async (values: string[]) => (values.length ? await this.repo.userIds(values) : []);
    const products = list(p, 'product');
    const components = list(p, 'component');
    const [productIds, inComponents, assignedIds, creatorIds, qaIds, ccIds] = await Promise.all([
      products.length ? this.repo.productIds(products) : Promise.resolve([]),
      this.repo.componentCondition(components, products),
      people(list(p, 'assigned_to')),
      people(list(p, 'creator', 'reporter')),
      people(list(p, 'qa_contact')),
      people(list(p, 'cc')),
    ]);
    const userIn = (sql: Parameters<SearchExtra>[0], column: string, ids: number[]) =>
      `${column} = ANY(${sql.p(ids)}::int[])`;
    const like = (v: string) => `%${v.replace(/[\\%_]/g, '\\$&')}%`;
    const idList = ints(p, 'id', 'bug_id');
    const aliases = list(p, 'alias');
    const eq = (keys: string[], column: string, ci = false): [string[], string, boolean] => [
      list(p, ...keys),
      column,
      ci,
    ];
    const exact = [
      eq(['version'], 'b.version'),
      eq(['priority'], 'b.priority', true),
      eq(['severity', 'bug_severity'], 'b.severity', true),
      eq(['op_sys'], 'b.op_sys', true),
      eq(['platform', 'rep_platform', 'hardware'], 'b.hardware', true),
      eq(['target_milestone'], 'b.target_release'),
      eq(['cf_fixed_in'], 'b.fixed_in'),
    ];
    const since = (key: string) => {
      const v = one(p, key);
      return v === undefined ? undefined : toDate(v, key);
    };
    const created = since('creation_time');
    const changed = since('last_change_time');
    const extra: SearchExtra = (sql) => {
      const w = sql.where;
      if (idList.length && aliases.length)
        w.push(
          `(b.id = ANY(${sql.p(idList)}::int[]) OR EXISTS (SELECT 1 FROM bug_aliases ba WHERE ba.bug_id = b.id AND lower(ba.alias) = ANY(${sql.p(aliases.map((x) => x.toLowerCase()))})))`,
        );
      else if (idList.length) w.push(`b.id = ANY(${sql.p(idList)}::int[])`);
      else if (aliases.length)
        w.push(
          `EXISTS (SELECT 1 FROM bug_aliases ba WHERE ba.bug_id = b.id AND lower(ba.alias) = ANY(${sql.p(aliases.map((x) => x.toLowerCase()))}))`,
        );
      if (products.length) w.push(`b.product_id = ANY(${sql.p(productIds)}::int[])`);
      if (components.length) w.push(inComponents(sql));
      for (const [values, column, ci] of exact) {
        if (!values.length) continue;
        w.push(
          ci
            ? `lower(${column}) = ANY(${sql.p(values.map((x) => x.toLowerCase()))})`
            : `${column} = ANY(${sql.p(values)})`,
        );
      }
      const resolutions = list(p, 'resolution');
      if (resolutions.length) {
        const named = resolutions.filter((r) => r !== '' && r !== '---').map((r) => r.toUpperCase());
        const open = named.length < resolutions.length;
        w.push(`(b.resolution = ANY(${sql.p(named)})${open ? ' OR b.resolution IS NULL' : ''})`);
      }
      if (list(p, 'assigned_to').length) w.push(userIn(sql, 'b.assignee_id', assignedIds));
      if (list(p, 'creator', 'reporter').length) w.push(userIn(sql, 'b.reporter_id', creatorIds));
      if (list(p, 'qa_contact').length) w.push(userIn(sql, 'b.qa_contact_id', qaIds));
      if (list(p, 'cc').length)
        w.push(`EXISTS (SELECT 1 FROM bug_cc c WHERE c.bug_id = b.id AND ${userIn(sql, 'c.user_id', ccIds)})`);
      const keywords = list(p, 'keywords').flatMap((k) => k.split(/[\s,]+/).filter(Boolean));
      if (keywords.length)
        w.push(
          `EXISTS (SELECT 1 FROM unnest(b.keywords) k WHERE lower(k) = ANY(${sql.p(keywords.map((k) => k.toLowerCase()))}))`,
        );
      const substr: [string[], string][] = [
        [list(p, 'summary', 'short_desc'), 'b.summary'],
        [list(p, 'whiteboard', 'status_whiteboard'), 'b.whiteboard'],
        [list(p, 'url', 'bug_file_loc'), 'b.url'],
      ];
      for (const [values, column] of substr)
        if (values.length) w.push(`${column} ILIKE ANY(${sql.p(values.map(like))})`);
      const cves = list(p, 'cf_cve');
      if (cves.length) w.push(`b.cve_ids && ${sql.p(cves.map((c) => c.toUpperCase()))}::text[]`);
      if (created) w.push(`b.created_at >= ${sql.p(created)}`);
      if (changed) w.push(`b.updated_at >= ${sql.p(changed)}`);
    };
    const limitRaw = one(p, 'limit');
    const limit = limitRaw === undefined ? SEARCH_DEFAULT_LIMIT : toInt(limitRaw, 'limit') || SEARCH_MAX_LIMIT;
    const offset = one(p, 'offset') === undefined ? 0 : toInt(one(p, 'offset'), 'offset');
    const quicksearch = one(p, 'quicksearch');
    if (quicksearch !== undefined && quicksearch.length > 1000)
      throw new BugzillaError(53, 'The quicksearch is too long (at most 1000 characters).');
    const ids = statuses.length
      ? await this.repo.searchIds(
          viewer,
          quicksearch,
          statuses,
          extra,
          Math.min(limit, SEARCH_MAX_LIMIT),
          Math.min(offset, 10_000_000),
        )
      : [];
    return { bugs: await this.bugObjects(actor, ids, selection(p)) };
  }

  /** Bugzilla takes people by login (e-mail); our services by username. */
  private async username(login: string, field: string): Promise<string> {
    const user = await this.repo.userByLogin(login.trim().replace(/^\+/, ''));
    if (!user) throw new BugzillaError(51, `There is no user named "${login}" (${field}).`);
    return user.username;
  }

  private async usernames(logins: string[] | undefined, field: string): Promise<string[] | undefined> {
    if (logins === undefined) return undefined;
    const out: string[] = [];
    for (const l of logins) out.push(await this.username(l, field));
    return out;
  }

  private privacyFromGroups(body: Params, current: boolean): boolean | undefined {
    const change = setChange(body, 'groups', (g) => g);
    if (!change) return undefined;
    for (const g of [...(change.add ?? []), ...(change.remove ?? []), ...(change.set ?? [])])
      if (g !== 'security')
        throw new BugzillaError(51, `There is no group named "${g}"; the only group is "security".`);
    const next = applySet(current ? ['security'] : [], change).includes('security');
    return next === current ? undefined : next;
  }

  async createBug(actor: Actor | null, body: unknown): Promise<Params> {
    const me = requireLogin(actor);
    if (!isObject(body)) throw new BugzillaError(32000, 'The request body must be a JSON object.');
    const unknown = Object.keys(body).filter((k) => !CREATE_KEYS.has(k));
    if (unknown.length) throw new BugzillaError(108, `Unknown field: ${unknown.join(', ')}.`);
    if (body.comment_is_private !== undefined && toBool(body.comment_is_private, 'comment_is_private'))
      throw new BugzillaError(
        113,
        'A private description is not supported; file the bug in the "security" group to make it private.',
      );
    for (const key of ['product', 'component', 'summary', 'version'])
      if (!str(body, key)) throw new BugzillaError(50, `You must specify a ${key} for this bug.`);
    const description = str(body, 'description') ?? str(body, 'comment');
    const assignee = str(body, 'assigned_to');
    const qa = str(body, 'qa_contact');
    const alias = strList(body, 'alias');
    const dto = await validated(CreateBugDto, {
      product: str(body, 'product'),
      component: str(body, 'component'),
      version: str(body, 'version'),
      summary: str(body, 'summary'),
      description: description || ' ',
      severity: unspecified(str(body, 'severity'))?.toLowerCase(),
      priority: unspecified(str(body, 'priority')),
      hardware: unspecified(str(body, 'platform')),
      opSys: unspecified(str(body, 'op_sys')),
      assignee: assignee ? await this.username(assignee, 'assigned_to') : undefined,
      qaContact: qa ? await this.username(qa, 'qa_contact') : undefined,
      cc: await this.usernames(strList(body, 'cc'), 'cc'),
      keywords: strList(body, 'keywords'),
      url: str(body, 'url') || undefined,
      whiteboard: str(body, 'whiteboard'),
      aliases: alias?.filter(Boolean),
      dependsOn: strList(body, 'depends_on')?.map((v) => toInt(v, 'depends_on')),
      blocks: strList(body, 'blocks')?.map((v) => toInt(v, 'blocks')),
      seeAlso: strList(body, 'see_also'),
      targetRelease: unspecified(str(body, 'target_milestone')),
      fixedIn: str(body, 'cf_fixed_in'),
      cveIds: strList(body, 'cf_cve'),
      isPrivate: this.privacyFromGroups(body, false),
    });
    const bug = await this.bugs.create(me, dto);
    return { id: bug.id };
  }

  async updateBugs(actor: Actor | null, pathIdOrAlias: string, body: unknown): Promise<Params> {
    const me = requireLogin(actor);
    if (!isObject(body)) throw new BugzillaError(32000, 'The request body must be a JSON object.');
    const unknown = Object.keys(body).filter((k) => !UPDATE_KEYS.has(k));
    if (unknown.length) throw new BugzillaError(108, `Unknown field: ${unknown.join(', ')}.`);
    const viewer = bugViewer(me);
    const wanted = body.ids === undefined ? [pathIdOrAlias] : list(body, 'ids');
    const ids: number[] = [];
    for (const w of wanted) {
      const id = await this.visibleId(viewer, w);
      if (!ids.includes(id)) ids.push(id);
    }
    const a = audience(me);
    const out: Params[] = [];
    // One bug after the other, as Bugzilla's own loop does; each bug's change is atomic.
    for (const id of ids) {
      const [before] = await this.repo.loadBugs(viewer, [id]);
      const dto = await this.updateDto(before, body);
      await this.bugs.update(me, id, dto);
      await this.applyFlags(me, id, body);
      const [after] = await this.repo.loadBugs(viewer, [id]);
      out.push({
        id,
        alias: after.aliases,
        last_change_time: bzTime(after.bug.updatedAt),
        changes: diff(bzBug(before, a), bzBug(after, a)),
      });
    }
    return { bugs: out };
  }

  private async updateDto(before: BugBundle, body: Params): Promise<UpdateBugDto> {
    const b = before.bug;
    const plain: Params = {
      summary: str(body, 'summary'),
      version: str(body, 'version'),
      product: str(body, 'product'),
      component: str(body, 'component'),
      severity: str(body, 'severity')?.toLowerCase(),
      priority: str(body, 'priority'),
      hardware: str(body, 'platform'),
      opSys: str(body, 'op_sys'),
      url: str(body, 'url'),
      whiteboard: str(body, 'whiteboard'),
      fixedIn: str(body, 'cf_fixed_in'),
    };
    const milestone = str(body, 'target_milestone');
    if (milestone !== undefined) plain.targetRelease = milestone === '---' ? '' : milestone;
    const assignee = str(body, 'assigned_to');
    if (assignee !== undefined) plain.assignee = assignee === '' ? null : await this.username(assignee, 'assigned_to');
    const qa = str(body, 'qa_contact');
    if (qa !== undefined) plain.qaContact = qa === '' ? null : await this.username(qa, 'qa_contact');
    if (body.reset_qa_contact !== undefined && toBool(body.reset_qa_contact, 'reset_qa_contact'))
      plain.qaContact = null;
    const status = str(body, 'status') ?? undefined;
    if (status !== undefined) {
      const up = status.trim().toUpperCase();
      const mapped = UPDATE_STATUS[up] ?? up;
      if (!(BUG_STATUSES as readonly string[]).includes(mapped))
        throw new BugzillaError(51, `There is no status named "${status}".`);
      plain.status = mapped;
    }
    const resolution = str(body, 'resolution');
    if (resolution !== undefined && resolution !== '') plain.resolution = resolution.toUpperCase();
    if (body.dupe_of !== undefined && body.dupe_of !== null) plain.dupeOf = toInt(body.dupe_of, 'dupe_of');
    const keywords = setChange(body, 'keywords', (v) => v);
    if (keywords) plain.keywords = applySet(b.keywords, keywords);
    const cves = setChange(body, 'cf_cve', (v) => v.toUpperCase());
    if (cves) plain.cveIds = applySet(b.cveIds, cves);
    const seeAlso = setChange(body, 'see_also', (v) => v);
    if (seeAlso) plain.seeAlso = applySet(b.seeAlso, seeAlso);
    const alias = setChange(body, 'alias', (v) => v);
    if (alias) plain.aliases = applySet(before.aliases, alias).filter(Boolean);
    const deps = setChange(body, 'depends_on', (v) => toInt(v, 'depends_on'));
    if (deps) plain.dependsOn = applySet(before.dependsOn, deps);
    const blocks = setChange(body, 'blocks', (v) => toInt(v, 'blocks'));
    if (blocks) plain.blocks = applySet(before.blocks, blocks);
    const cc = body.cc;
    if (cc !== undefined) {
      if (!isObject(cc)) throw new BugzillaError(53, 'Invalid cc: use {"add": [...], "remove": [...]}.');
      plain.cc = {
        add: await this.usernames(cc.add === undefined ? undefined : list(cc, 'add'), 'cc'),
        remove: await this.usernames(cc.remove === undefined ? undefined : list(cc, 'remove'), 'cc'),
      };
    }
    const isPrivate = this.privacyFromGroups(body, b.isPrivate);
    if (isPrivate !== undefined) plain.isPrivate = isPrivate;
    const comment = body.comment;
    if (comment !== undefined && comment !== null) {
      if (!isObject(comment)) throw new BugzillaError(53, 'Invalid comment: use {"body": "..."}.');
      const text = str(comment, 'body') ?? str(comment, 'comment');
      if (text !== undefined && text.trim() !== '')
        plain.comment = {
          body: text,
          isPrivate: comment.is_private === undefined ? undefined : toBool(comment.is_private, 'is_private'),
        };
    }
    return validated(UpdateBugDto, Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)));
  }

  /** needinfo is the only flag: `?` with a requestee asks, `X`/`-` clears. */
  private async applyFlags(actor: Actor, id: number, body: Params): Promise<void> {
    if (body.flags === undefined) return;
    if (!Array.isArray(body.flags)) throw new BugzillaError(53, 'Invalid flags: expected a list.');
    for (const f of body.flags as unknown[]) {
      if (!isObject(f)) throw new BugzillaError(53, 'Invalid flags: expected objects.');
      const name = str(f, 'name');
      const typeId = f.type_id === undefined ? undefined : toInt(f.type_id, 'type_id');
      if (name !== 'needinfo' && typeId !== NEEDINFO_FLAG_TYPE)
        throw new BugzillaError(51, `There is no flag named "${name ?? String(typeId)}"; the only flag is needinfo.`);
      const requestee = str(f, 'requestee');
      if (!requestee) throw new BugzillaError(50, 'A needinfo flag needs a requestee.');
      const username = await this.username(requestee, 'flags.requestee');
      const status = str(f, 'status');
      if (status === '?') await this.bugs.requestNeedinfo(actor, id, { user: username });
      else if (status === 'X' || status === '-') await this.bugs.clearNeedinfo(actor, id, username);
      else throw new BugzillaError(53, `Invalid flag status "${String(status)}": use ? or X.`);
    }
  }

  // ---------------------------------------------------------------- comments, history

  async comments(actor: Actor | null, idOrAlias: string, p: Params): Promise<Params> {
    const viewer = bugViewer(actor);
    const id = await this.visibleId(viewer, idOrAlias);
    const sinceRaw = one(p, 'new_since');
    const rows = await this.repo.comments(viewer, [id], sinceRaw ? toDate(sinceRaw, 'new_since') : undefined);
    const a = audience(actor);
    const sel = selection(p);
    return {
      bugs: { [String(id)]: { comments: rows.map((c) => pick(bzComment(c, a), sel, { always: ['id'] })) } },
      comments: {},
    };
  }

  async commentsById(actor: Actor | null, commentId: string | undefined, p: Params): Promise<Params> {
    const ids = [...(commentId !== undefined ? [toInt(commentId, 'comment id')] : []), ...ints(p, 'comment_ids')];
    const bugIds = list(p, 'ids');
    const viewer = bugViewer(actor);
    const a = audience(actor);
    const sel = selection(p);
    const rows = await this.repo.commentsById(viewer, ids);
    if (commentId !== undefined && !rows.some((r) => r.id === Number(commentId)))
      throw new BugzillaError(111, `There is no comment with the id ${commentId}.`);
    const bugs: Params = {};
    for (const b of bugIds) {
      const id = await this.visibleId(viewer, b);
      bugs[String(id)] = {
        comments: (await this.repo.comments(viewer, [id])).map((c) => pick(bzComment(c, a), sel, { always: ['id'] })),
      };
    }
    return {
      bugs,
      comments: Object.fromEntries(rows.map((c) => [String(c.id), pick(bzComment(c, a), sel, { always: ['id'] })])),
    };
  }

  async addComment(actor: Actor | null, idOrAlias: string, body: unknown): Promise<Params> {
    const me = requireLogin(actor);
    if (!isObject(body)) throw new BugzillaError(32000, 'The request body must be a JSON object.');
    const id = await this.visibleId(bugViewer(me), idOrAlias);
    const text = str(body, 'comment') ?? str(body, 'body');
    if (!text || !text.trim()) throw new BugzillaError(50, 'You must specify a comment.');
    const isPrivate = body.is_private === undefined ? undefined : toBool(body.is_private, 'is_private');
    const dto = await validated(UpdateBugDto, { comment: { body: text, isPrivate } });
    const comment = await this.bugs.addComment(me, id, dto.comment!);
    return { id: comment.id };
  }

  async history(actor: Actor | null, idOrAlias: string, p: Params): Promise<Params> {
    const viewer = bugViewer(actor);
    const id = await this.visibleId(viewer, idOrAlias);
    const sinceRaw = one(p, 'new_since');
    const [bundle] = await this.repo.loadBugs(viewer, [id]);
    const rows = await this.repo.history(viewer, id, sinceRaw ? toDate(sinceRaw, 'new_since') : undefined);
    return { bugs: [{ id, alias: bundle.aliases, history: bzHistory(rows, audience(actor)) }] };
  }

  // ---------------------------------------------------------------- attachments

  async bugAttachments(actor: Actor | null, idOrAlias: string, p: Params): Promise<Params> {
    const id = await this.visibleId(bugViewer(actor), idOrAlias);
    const sel = selection(p);
    const withData = wants(sel, 'data');
    const a = audience(actor);
    const rows = await this.attachments.list(actor, id);
    const items: Params[] = [];
    for (const r of rows) {
      const data = withData ? (await this.attachments.content(actor, r.id)).data : undefined;
      items.push(pick(bzAttachment(r, a, data), sel, { always: ['id'] }));
    }
    return { bugs: { [String(id)]: items }, attachments: {} };
  }

  async attachmentsById(actor: Actor | null, attachmentId: string, p: Params): Promise<Params> {
    const ids = [toInt(attachmentId, 'attachment id'), ...ints(p, 'attachment_ids')];
    const sel = selection(p);
    const withData = wants(sel, 'data');
    const a = audience(actor);
    const out: Params = {};
    for (const id of ids) {
      const { meta, data } = await this.attachments.content(actor, id).catch(() => {
        throw new BugzillaError(51, `Attachment #${id} does not exist.`);
      });
      out[String(id)] = pick(bzAttachment(meta, a, withData ? data : undefined), sel, { always: ['id'] });
    }
    return { bugs: {}, attachments: out };
  }

  async addAttachment(actor: Actor | null, pathIdOrAlias: string, body: unknown): Promise<Params> {
    const me = requireLogin(actor);
    if (!isObject(body)) throw new BugzillaError(32000, 'The request body must be a JSON object.');
    const viewer = bugViewer(me);
    const wanted = body.ids === undefined ? [pathIdOrAlias] : list(body, 'ids');
    const fileName = str(body, 'file_name');
    if (!fileName) throw new BugzillaError(603, 'You must specify a file_name.');
    const summary = str(body, 'summary');
    if (summary === undefined) throw new BugzillaError(604, 'You must specify a summary for the attachment.');
    const data = str(body, 'data') ?? '';
    if (!data) throw new BugzillaError(606, 'The file you are trying to attach is empty.');
    const isPatch = body.is_patch === undefined ? false : toBool(body.is_patch, 'is_patch');
    const dto = await validated(CreateAttachmentDto, {
      filename: fileName,
      contentType: isPatch ? 'text/plain' : (str(body, 'content_type') ?? 'application/octet-stream'),
      data,
      description: summary,
      isPatch,
      isPrivate: body.is_private === undefined ? undefined : toBool(body.is_private, 'is_private'),
      comment: str(body, 'comment') || undefined,
    });
    const created: number[] = [];
    for (const w of wanted) {
      const id = await this.visibleId(viewer, w);
      created.push((await this.attachments.create(me, id, dto)).id);
    }
    return { ids: created };
  }

  // ---------------------------------------------------------------- products, fields

  async productIds(): Promise<Params> {
    return { ids: (await this.repo.products()).filter((p) => p.isActive).map((p) => p.id) };
  }

  async products(actor: Actor | null, idOrName: string | undefined, p: Params): Promise<Params> {
    const all = await this.repo.products();
    const ids = ints(p, 'ids');
    const names = list(p, 'names').map((n) => n.toLowerCase());
    if (idOrName !== undefined && idOrName !== 'get') {
      if (/^\d+$/.test(idOrName)) ids.push(Number(idOrName));
      else names.push(idOrName.toLowerCase());
    }
    const type = list(p, 'type');
    for (const t of type)
      if (!['accessible', 'selectable', 'enterable'].includes(t))
        throw new BugzillaError(53, `Invalid type "${t}": use accessible, selectable or enterable.`);
    const byQuery = ids.length || names.length;
    const chosen = all.filter((x) =>
      byQuery ? ids.includes(x.id) || names.includes(x.name.toLowerCase()) : x.isActive,
    );
    if (idOrName !== undefined && idOrName !== 'get' && !chosen.length)
      throw new BugzillaError(106, `Product "${idOrName}" does not exist.`);
    const sel = selection(p);
    const a = audience(actor);
    const productIds = chosen.map((x) => x.id);
    const [versions, components, packages] = await Promise.all([
      wants(sel, 'versions') ? this.repo.versions(productIds) : Promise.resolve([]),
      wants(sel, 'components') ? this.repo.components(productIds) : Promise.resolve([]),
      wants(sel, 'components') && chosen.some((x) => x.packageComponents) ? this.repo.packages() : Promise.resolve([]),
    ]);
    const flagTypes = { bug: [NEEDINFO_TYPE], attachment: [] };
    const products = chosen.map((prod) => {
      const obj: Params = {
        id: prod.id,
        name: prod.name,
        description: prod.description,
        is_active: prod.isActive,
        default_milestone: '---',
        has_unconfirmed: true,
        classification: 'Unclassified',
      };
      if (wants(sel, 'components')) {
        const general = components
          .filter((c) => c.productId === prod.id)
          .map((c, i) => ({
            id: c.id,
            name: c.name,
            description: c.description,
            default_assigned_to: bzLogin(c.defaultAssignee ?? c.sig?.bugDefaultAssignee, a),
            default_qa_contact: '',
            sort_key: i,
            is_active: c.isActive,
            flag_types: flagTypes,
          }));
        const pkgs = prod.packageComponents
          ? packages.map((pk) => ({
              id: PACKAGE_COMPONENT_ID_BASE + pk.id,
              name: pk.name,
              description: pk.description,
              default_assigned_to: bzLogin(pk.sig?.bugDefaultAssignee, a),
              default_qa_contact: '',
              sort_key: 100,
              is_active: true,
              flag_types: flagTypes,
            }))
          : [];
        obj.components = [...general, ...pkgs];
      }
      obj.versions = versions
        .filter((v) => v.productId === prod.id)
        .map((v) => ({ id: v.id, name: v.name, sort_key: v.sortKey, is_active: v.isActive }));
      obj.milestones = [];
      return pick(obj, sel, { always: ['id'] });
    });
    return { products };
  }

  async fields(p: Params, idOrName?: string): Promise<Params> {
    const sel = selection(p);
    const withValues = wants(sel, 'values');
    const wantedNames = [...list(p, 'names'), ...(idOrName !== undefined && !/^\d+$/.test(idOrName) ? [idOrName] : [])];
    const wantedIds = [
      ...ints(p, 'ids'),
      ...(idOrName !== undefined && /^\d+$/.test(idOrName) ? [Number(idOrName)] : []),
    ];
    const values = withValues ? await this.fieldValues() : null;
    const defs = FIELD_DEFS.map(([name, display, type], i) => ({
      id: i + 1,
      name,
      display_name: display,
      type,
      is_custom: name.startsWith('cf_'),
      is_mandatory: ['short_desc', 'product', 'component', 'version'].includes(name),
      is_on_bug_entry: false,
      visibility_field: null,
      visibility_values: [],
      value_field: name === 'component' || name === 'version' ? 'product' : null,
      values: values?.[name] ?? [],
    }));
    const chosen =
      wantedNames.length || wantedIds.length
        ? defs.filter((d) => wantedNames.includes(d.name) || wantedIds.includes(d.id))
        : defs;
    if (idOrName !== undefined && !chosen.length) throw new BugzillaError(51, `There is no field named "${idOrName}".`);
    return { fields: chosen.map((d) => pick(d, sel, { always: ['name'] })) };
  }

  private async fieldValues(): Promise<Record<string, Params[]>> {
    const editor = { loggedIn: true, reporter: false, privileged: true, editAll: true, seesPrivateComments: false };
    const simple = (names: readonly string[]) =>
      names.map((name, i) => ({ name, sort_key: i * 100, visibility_values: [], is_active: true }));
    const products = (await this.repo.products()).filter((x) => x.isActive);
    const productIds = products.map((x) => x.id);
    const nameOf = new Map(products.map((x) => [x.id, x.name]));
    const [versions, components, packages, keywords] = await Promise.all([
      this.repo.versions(productIds),
      this.repo.components(productIds),
      this.repo.packages(),
      this.repo.keywords(),
    ]);
    const packageProducts = products.filter((x) => x.packageComponents).map((x) => x.name);
    return {
      bug_status: [
        {
          name: '',
          sort_key: 0,
          visibility_values: [],
          can_change_to: ['UNCONFIRMED', 'CONFIRMED'].map((s) => ({ name: s, comment_required: false })),
        },
        ...BUG_STATUSES.map((s, i) => ({
          name: s,
          sort_key: (i + 1) * 100,
          is_open: (OPEN_STATUSES as readonly string[]).includes(s),
          visibility_values: [],
          can_change_to: allowedTransitions(editor, s).map((t) => ({ name: t.status, comment_required: false })),
        })),
      ],
      resolution: simple(['', ...BUG_RESOLUTIONS]),
      bug_severity: simple(BUG_SEVERITIES),
      priority: simple(BUG_PRIORITIES),
      rep_platform: simple(['All', 'x86_64', 'aarch64', 'loongarch64', 'riscv64']),
      op_sys: simple(['Linux', 'All']),
      product: products.map((x, i) => ({ name: x.name, sort_key: i, visibility_values: [], is_active: true })),
      component: [
        ...components
          .filter((c) => c.isActive)
          .map((c) => ({ name: c.name, sort_key: 0, visibility_values: [nameOf.get(c.productId) ?? ''] })),
        ...(packageProducts.length
          ? packages.map((pk) => ({ name: pk.name, sort_key: 100, visibility_values: packageProducts }))
          : []),
      ],
      version: versions.map((v) => ({
        name: v.name,
        sort_key: v.sortKey,
        visibility_values: [nameOf.get(v.productId) ?? ''],
        is_active: v.isActive,
      })),
      keywords: keywords.map((k, i) => ({ name: k, description: '', sort_key: i })),
    };
  }
}

const NEEDINFO_TYPE = {
  id: NEEDINFO_FLAG_TYPE,
  name: 'needinfo',
  description: 'Asks one person for more information; their comment answers it.',
  cc_list: '',
  sort_key: 0,
  is_active: true,
  is_requestable: true,
  is_requesteeble: true,
  is_multiplicable: true,
  grant_group: null,
  request_group: null,
};

/** [name, display name, Bugzilla field type] (1 text, 2 select, 3 multi, 4 large text, 5 datetime, 6 bug id, 7 see also, 8 keywords). */
const FIELD_DEFS: [string, string, number][] = [
  ['bug_id', 'Bug ID', 6],
  ['alias', 'Alias', 1],
  ['short_desc', 'Summary', 1],
  ['bug_status', 'Status', 2],
  ['resolution', 'Resolution', 2],
  ['product', 'Product', 2],
  ['component', 'Component', 2],
  ['version', 'Version', 2],
  ['bug_severity', 'Severity', 2],
  ['priority', 'Priority', 2],
  ['rep_platform', 'Hardware', 2],
  ['op_sys', 'OS', 2],
  ['assigned_to', 'Assignee', 1],
  ['reporter', 'Reporter', 1],
  ['qa_contact', 'QA Contact', 1],
  ['cc', 'CC', 1],
  ['keywords', 'Keywords', 8],
  ['status_whiteboard', 'Whiteboard', 1],
  ['bug_file_loc', 'URL', 1],
  ['see_also', 'See Also', 7],
  ['dependson', 'Depends on', 6],
  ['blocked', 'Blocks', 6],
  ['dup_id', 'Duplicate of', 6],
  ['target_milestone', 'Target Release', 1],
  ['creation_ts', 'Creation date', 5],
  ['delta_ts', 'Last changed date', 5],
  ['longdesc', 'Comment', 4],
  ['bug_group', 'Group', 3],
  ['flagtypes.name', 'Flags', 3],
  ['cf_fixed_in', 'Fixed In', 1],
  ['cf_cve', 'CVE', 1],
  ['cf_sig', 'SIG', 1],
];

/** Bugzilla's `changes`: per field, what was removed and added (lists as comma-separated text). */
function diff(before: Params, after: Params): Params {
  const out: Params = {};
  const text = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : v === null || v === undefined
          ? ''
          : JSON.stringify(v);
  for (const f of CHANGE_FIELDS) {
    const b = before[f];
    const a = after[f];
    if (Array.isArray(b) || Array.isArray(a)) {
      const bl = ((b as unknown[]) ?? []).map(text);
      const al = ((a as unknown[]) ?? []).map(text);
      const removed = bl.filter((x) => !al.includes(x));
      const added = al.filter((x) => !bl.includes(x));
      if (removed.length || added.length) out[f] = { removed: removed.join(', '), added: added.join(', ') };
    } else if (text(b) !== text(a)) out[f] = { removed: text(b), added: text(a) };
  }
  return out;
}
