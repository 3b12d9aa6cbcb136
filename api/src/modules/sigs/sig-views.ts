import type { UserEntity } from '../users/user.entity';
import type { ActivityView, MemberView, UserRefView } from './dto/sigs.dto';
import type { SigActivityEntity } from './sig-activity.entity';
import type { SigMembershipEntity } from './sig-membership.entity';

export const userRef = (u: UserEntity): UserRefView => ({ id: u.id, username: u.username, displayName: u.displayName });

export const memberView = (m: SigMembershipEntity & { user?: UserEntity }): MemberView => ({
  id: m.user!.id,
  username: m.user!.username,
  displayName: m.user!.displayName,
  role: m.role,
  grantedAt: m.grantedAt,
  expiresAt: m.expiresAt,
});

export const activityView = (a: SigActivityEntity): ActivityView => ({
  id: a.id,
  kind: a.kind,
  actor: a.actor?.username ?? null,
  details: a.details,
  createdAt: a.createdAt,
});

/** `%q%` for ILIKE with the user's wildcards taken literally. */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, '\\$&')}%`;
