import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { Actor } from '../../common/actor';
import { l10n, NotificationsService } from '../notifications/notifications.service';
import { UserRoleEntity } from '../users/user-role.entity';
import type { UserEntity } from '../users/user.entity';
import { isPublicNow } from './bug-access';
import { BugMailPrefEntity, SigBugWatcherEntity, type BugMailRole } from './bug-extras.entity';
import { BugCcEntity, type BugEntity } from './bug.entity';
import { componentName } from './bug-views';

export interface BugChange {
  field: string;
  removed: string;
  added: string;
  isPrivate?: boolean;
}

/** What happened, for the event × role preference matrix. */
export type BugEvent = 'new' | 'comment' | 'status' | 'fields' | 'needinfo';

/** Bugzilla's X-Bugzilla-Reason values, so existing mail filters keep working. */
const REASON: Record<BugMailRole, string> = {
  reporter: 'Reporter',
  assignee: 'AssignedTo',
  qa: 'QAcontact',
  cc: 'CC',
  watcher: 'Watch',
};
const ROLE_ORDER: BugMailRole[] = ['assignee', 'reporter', 'qa', 'cc', 'watcher'];

/**
 * Tells the people on a bug what changed: in-app and by mail, through the outbox (never inline).
 * One message per recipient per change, naming the strongest reason they get it. People who may
 * not see the bug (private bugs) or a private comment never receive it.
 */
@Injectable()
export class BugNotifier {
  constructor(private readonly notifications: NotificationsService) {}

  async notify(
    m: EntityManager,
    bug: BugEntity,
    actor: Actor,
    event: BugEvent,
    changes: BugChange[],
    comment: { body: string; isPrivate: boolean } | null,
    before?: BugEntity,
  ): Promise<void> {
    const roles = new Map<number, BugMailRole[]>();
    const add = (id: number | null | undefined, role: BugMailRole) => {
      if (id === null || id === undefined) return;
      roles.set(id, [...(roles.get(id) ?? []), role]);
    };
    add(bug.reporterId, 'reporter');
    add(bug.assigneeId, 'assignee');
    // Someone who was just taken off the bug still hears about it, as in Bugzilla.
    if (before && before.assigneeId !== bug.assigneeId) add(before.assigneeId, 'assignee');
    add(bug.qaContactId, 'qa');
    for (const cc of await m.getRepository(BugCcEntity).find({ where: { bugId: bug.id } })) add(cc.userId, 'cc');
    if (bug.sigId !== null)
      for (const w of await m.getRepository(SigBugWatcherEntity).find({ where: { sigId: bug.sigId } }))
        add(w.userId, 'watcher');
    roles.delete(actor.id);
    if (!roles.size) return;

    const ids = [...roles.keys()];
    const privileged = new Set(
      (await m.getRepository(UserRoleEntity).find({ where: { userId: In(ids), role: In(['admin', 'security']) } })).map(
        (r) => r.userId,
      ),
    );
    const off = await m.getRepository(BugMailPrefEntity).find({ where: { userId: In(ids), event, enabled: false } });
    const disabled = new Set(off.map((p) => `${p.userId}:${p.role}`));
    const publicBug = isPublicNow(bug);

    const changed = changes.filter((c) => !c.isPrivate);
    const lines = changed.map((c) => `${c.field}: ${c.removed || '—'} → ${c.added || '—'}`).join('\n');
    for (const [userId, held] of roles) {
      const inCircle = held.some((r) => r !== 'watcher');
      if (!publicBug && !inCircle && !privileged.has(userId)) continue;
      const showComment = comment && (!comment.isPrivate || privileged.has(userId));
      if (!showComment && !changed.length && event !== 'new') continue;
      const role = ROLE_ORDER.find((r) => held.includes(r) && !disabled.has(`${userId}:${r}`));
      if (!role) continue;
      const text = [lines, showComment ? comment.body : ''].filter(Boolean).join('\n\n');
      await this.notifications.notify(m, userId, {
        kind: `bug.${event}`,
        title: TITLES[event](bug.id, bug.summary, actor.username),
        body: text.slice(0, 20000),
        link: `/bugs/${bug.id}`,
        email: true,
        headers: this.headers(bug, REASON[role], changed),
      });
    }
  }

  /** The requestee of a needinfo is told even when they are not otherwise on the bug. */
  async needinfo(
    m: EntityManager,
    bug: BugEntity,
    actor: Actor,
    requestee: UserEntity,
    question: string | null,
  ): Promise<void> {
    if (requestee.id === actor.id) return;
    if (!isPublicNow(bug)) {
      const onBug =
        [bug.reporterId, bug.assigneeId, bug.qaContactId].includes(requestee.id) ||
        (await m.getRepository(BugCcEntity).exists({ where: { bugId: bug.id, userId: requestee.id } })) ||
        (await m
          .getRepository(UserRoleEntity)
          .exists({ where: { userId: requestee.id, role: In(['admin', 'security']) } }));
      if (!onBug) return;
    }
    await this.notifications.notify(m, requestee.id, {
      kind: 'bug.needinfo',
      title: l10n(
        `[Bug ${bug.id}] ${actor.username} needs information from you: ${bug.summary}`,
        `[Bug ${bug.id}] ${actor.username} 需要您提供信息：${bug.summary}`,
      ),
      body: question ?? '',
      link: `/bugs/${bug.id}`,
      email: true,
      headers: { ...this.headers(bug, 'Requestee', []), 'X-Bugzilla-Flags': `needinfo?(${requestee.username})` },
    });
  }

  private headers(bug: BugEntity, reason: string, changes: BugChange[]): Record<string, string> {
    return {
      'X-Bugzilla-Reason': reason,
      'X-Bugzilla-Type': changes.length ? 'changed' : 'new',
      'X-Bugzilla-Product': bug.product?.name ?? '',
      'X-Bugzilla-Component': componentName(bug),
      'X-Bugzilla-Status': bug.status,
      'X-Bugzilla-Severity': bug.severity,
      'X-Bugzilla-Priority': bug.priority,
      'X-Bugzilla-Changed-Fields': changes.map((c) => c.field).join(' '),
    };
  }
}

const TITLES: Record<BugEvent, (id: number, summary: string, who: string) => ReturnType<typeof l10n>> = {
  new: (id, s, who) => l10n(`[Bug ${id}] New: ${s} (filed by ${who})`, `[Bug ${id}] 新缺陷：${s}（${who} 提交）`),
  comment: (id, s, who) => l10n(`[Bug ${id}] ${s} — comment from ${who}`, `[Bug ${id}] ${s} —— ${who} 发表了评论`),
  status: (id, s, who) => l10n(`[Bug ${id}] ${s} — status changed by ${who}`, `[Bug ${id}] ${s} —— ${who} 更改了状态`),
  fields: (id, s, who) => l10n(`[Bug ${id}] ${s} — changed by ${who}`, `[Bug ${id}] ${s} —— ${who} 做了修改`),
  needinfo: (id, s, who) => l10n(`[Bug ${id}] ${s} — needinfo from ${who}`, `[Bug ${id}] ${s} —— ${who} 请求信息`),
};
