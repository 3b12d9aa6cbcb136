import type { UserEntity } from '../users/user.entity';
import type { BugCommentEntity } from '../bugs/bug-comment.entity';
import type { BugAttachmentEntity, BugFlagEntity } from '../bugs/bug-extras.entity';
import type { BugHistoryEntity } from '../bugs/bug.entity';
import { componentName } from '../bugs/bug-views';
import { OPEN_STATUSES } from '../bugs/quicksearch';
import type { BugBundle } from './bugzilla.repository';
import type { Params } from './bugzilla-params';

/**
 * Our records in Bugzilla 5's REST shapes. Bugzilla names people by login (their e-mail); we do
 * the same for logged-in callers, while visitors see usernames, as no e-mail is public here.
 */
export interface Audience {
  loggedIn: boolean;
}

/** `2026-01-02T03:04:05Z`: Bugzilla's format, UTC without fractions. */
export const bzTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const bzLogin = (u: UserEntity | null | undefined, a: Audience): string =>
  u ? (a.loggedIn ? u.email : u.username) : '';

export const bzUserDetail = (u: UserEntity, a: Audience): Params => {
  const out: Params = { id: u.id, name: bzLogin(u, a), real_name: u.displayName ?? u.username };
  if (a.loggedIn) out.email = u.email;
  return out;
};

const isOpen = (status: string): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

/** The one flag type we have: needinfo, always requested ("?") of one person. */
export const NEEDINFO_FLAG_TYPE = 1;

const flag = (f: BugFlagEntity, a: Audience): Params => ({
  id: f.id,
  name: f.name,
  type_id: NEEDINFO_FLAG_TYPE,
  creation_date: bzTime(f.createdAt),
  modification_date: bzTime(f.createdAt),
  status: '?',
  setter: bzLogin(f.setter, a),
  requestee: bzLogin(f.requestee, a),
});

/** Fields of a bug that Bugzilla leaves out unless asked for by name. */
export const BUG_EXTRA_FIELDS = ['comments'];

export function bzBug(x: BugBundle, a: Audience): Params {
  const b = x.bug;
  // One literal, the people's details added by name after it: filling the object with
  // Object.assign turned it into a dictionary, which JSON.stringify serialises on its slow path
  // (a page of 50 bugs is ~37 KB of JSON).
  const out: Params = {
    id: b.id,
    alias: x.aliases,
    summary: b.summary,
    status: b.status,
    resolution: b.resolution ?? '',
    is_open: isOpen(b.status),
    product: b.product?.name ?? '',
    component: componentName(b),
    version: b.version,
    platform: b.hardware,
    op_sys: b.opSys,
    severity: b.severity,
    priority: b.priority,
    assigned_to: bzLogin(b.assignee, a),
    creator: bzLogin(b.reporter, a),
    qa_contact: bzLogin(b.qaContact, a),
    cc: x.cc.map((u) => bzLogin(u, a)),
    cc_detail: x.cc.map((u) => bzUserDetail(u, a)),
    creation_time: bzTime(b.createdAt),
    last_change_time: bzTime(b.updatedAt),
    keywords: b.keywords,
    whiteboard: b.whiteboard,
    url: b.url,
    see_also: b.seeAlso,
    depends_on: x.dependsOn,
    blocks: x.blocks,
    dupe_of: x.dupeOf,
    groups: b.isPrivate ? ['security'] : [],
    flags: x.flags.map((f) => flag(f, a)),
    target_milestone: b.targetRelease || '---',
    is_confirmed: b.status !== 'UNCONFIRMED',
    is_creator_accessible: true,
    is_cc_accessible: true,
    classification: 'Unclassified',
    deadline: null,
    cf_fixed_in: b.fixedIn,
    cf_cve: b.cveIds,
    cf_sig: b.sig?.slug ?? '',
  };
  if (b.assignee) out.assigned_to_detail = bzUserDetail(b.assignee, a);
  if (b.reporter) out.creator_detail = bzUserDetail(b.reporter, a);
  if (b.qaContact) out.qa_contact_detail = bzUserDetail(b.qaContact, a);
  return out;
}

export function bzComment(c: BugCommentEntity, a: Audience): Params {
  const time = bzTime(c.createdAt);
  return {
    id: c.id,
    bug_id: c.bugId,
    count: c.count,
    text: c.body,
    creator: bzLogin(c.author, a),
    creation_time: time,
    time,
    is_private: c.isPrivate,
    is_markdown: true,
    attachment_id: c.attachmentId,
    tags: [],
  };
}

/** Our history field names that differ from Bugzilla 5's API names. */
const HISTORY_FIELD: Record<string, string> = {
  short_desc: 'summary',
  bug_severity: 'severity',
  rep_platform: 'platform',
  bug_file_loc: 'url',
  status_whiteboard: 'whiteboard',
  bug_status: 'status',
  'flagtypes.name': 'flagtypes.name',
  'attachments.created': 'attachments.created',
};

/** Bugzilla groups history by change: one entry per (who, when) with its field changes. */
export function bzHistory(rows: BugHistoryEntity[], a: Audience): Params[] {
  const out: { who: string; when: string; changes: Params[] }[] = [];
  for (const h of rows) {
    const who = bzLogin(h.actor, a);
    const when = bzTime(h.at);
    let entry = out[out.length - 1];
    if (!entry || entry.who !== who || entry.when !== when) {
      entry = { who, when, changes: [] };
      out.push(entry);
    }
    const change: Params = {
      field_name: HISTORY_FIELD[h.field] ?? h.field,
      removed: h.removed,
      added: h.added,
    };
    if (h.field === 'attachments.created') change.attachment_id = Number(h.added) || null;
    entry.changes.push(change);
  }
  return out;
}

export function bzAttachment(att: BugAttachmentEntity, a: Audience, data?: Buffer): Params {
  const time = bzTime(att.createdAt);
  const out: Params = {
    id: att.id,
    bug_id: att.bugId,
    file_name: att.filename,
    summary: att.description,
    description: att.description,
    content_type: att.contentType,
    size: att.size,
    creator: bzLogin(att.creator, a),
    attacher: bzLogin(att.creator, a),
    creation_time: time,
    last_change_time: time,
    is_private: att.isPrivate,
    is_obsolete: att.isObsolete,
    is_patch: att.isPatch,
    flags: [],
  };
  if (data) out.data = data.toString('base64');
  return out;
}

export function bzUser(u: UserEntity, a: Audience, self: boolean): Params {
  const out: Params = {
    id: u.id,
    real_name: u.displayName ?? u.username,
    name: bzLogin(u, a),
  };
  if (a.loggedIn) out.email = u.email;
  Object.assign(out, {
    can_login: u.disabledAt === null,
    email_enabled: true,
    login_denied_text: u.disabledAt === null ? '' : 'This account is disabled.',
  });
  if (self) Object.assign(out, { groups: [], saved_searches: [], saved_reports: [] });
  return out;
}
