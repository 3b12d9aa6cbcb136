import type { BugListItemView } from './dto/bugs.dto';
import type { BugEntity } from './bug.entity';

/** Relations a list row needs; load them with the bug. */
export const BUG_LIST_RELATIONS = {
  product: true,
  component: true,
  package: true,
  sig: true,
  reporter: true,
  assignee: true,
} as const;

export const componentName = (b: BugEntity): string => b.package?.name ?? b.component?.name ?? '';

/** A plain object (not the class): views are spread into bigger views. */
export type Plain<T> = { [K in keyof T]: T[K] };

export const bugListItem = (b: BugEntity): Plain<BugListItemView> => ({
  id: b.id,
  summary: b.summary,
  status: b.status,
  resolution: b.resolution,
  product: b.product?.name ?? '',
  component: componentName(b),
  version: b.version,
  sig: b.sig ? { slug: b.sig.slug, nameZh: b.sig.nameZh, nameEn: b.sig.nameEn } : null,
  severity: b.severity,
  priority: b.priority,
  assignee: b.assignee?.username ?? null,
  reporter: b.reporter?.username ?? '',
  heat: b.heat,
  affectedCount: b.affectedCount,
  commentCount: b.commentCount,
  isPrivate: b.isPrivate,
  keywords: b.keywords,
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});
