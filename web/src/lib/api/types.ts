import type { paths } from './schema';

/**
 * Domain types derived from the paths, not from component names: the generated schema names its
 * components after the API's DTO classes, which may change without the shapes changing.
 */
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type Me = JsonOf<paths['/api/v1/me']['get']['responses'][200]>;
export type Locale = Me['locale'];
export type ApiToken = JsonOf<paths['/api/v1/me/tokens']['get']['responses'][200]>[number];
export type CreatedApiToken = JsonOf<paths['/api/v1/me/tokens']['post']['responses'][201]>;
export type NotificationPage = JsonOf<paths['/api/v1/notifications']['get']['responses'][200]>;
export type Notification = NotificationPage['items'][number];

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

export type SigPage = JsonOf<paths['/api/v1/sigs']['get']['responses'][200]>;
export type SigSummary = SigPage['items'][number];
export type SigStatus = SigSummary['status'];
export type SigDetail = JsonOf<paths['/api/v1/sigs/{slug}']['get']['responses'][200]>;
export type SigMember = SigDetail['leads'][number];
export type SigRole = SigMember['role'];
export type SigActivity = SigDetail['recentActivity'][number];
export type MySig = JsonOf<paths['/api/v1/me/sigs']['get']['responses'][200]>[number];

export type PackagePage = JsonOf<paths['/api/v1/packages']['get']['responses'][200]>;
export type PackageSummary = PackagePage['items'][number];
export type PackageDetail = JsonOf<paths['/api/v1/packages/{name}']['get']['responses'][200]>;
export type PackageTransfer = PackageDetail['transfers'][number];
export type TransferStatus = PackageTransfer['status'];

export type BugSearchPage = JsonOf<paths['/api/v1/bugs']['get']['responses'][200]>;
export type BugListItem = BugSearchPage['items'][number];
export type BugSort = BugSearchPage['sort'];
export type BugDetail = JsonOf<paths['/api/v1/bugs/{id}']['get']['responses'][200]>;
export type BugStatus = BugDetail['status'];
export type BugResolution = NonNullable<BugDetail['resolution']>;
export type BugSeverity = BugDetail['severity'];
export type BugPriority = BugDetail['priority'];
export type BugComment = BugDetail['comments'][number];
export type BugAttachment = BugDetail['attachments'][number];
export type BugHistoryEntry = JsonOf<paths['/api/v1/bugs/{id}/history']['get']['responses'][200]>[number];
export type BugDuplicate = JsonOf<paths['/api/v1/bugs/duplicates']['get']['responses'][200]>[number];
export type BugProduct = JsonOf<paths['/api/v1/bug-products']['get']['responses'][200]>[number];
export type SavedSearch = JsonOf<paths['/api/v1/saved-searches']['get']['responses'][200]>[number];
export type BugMailPref = JsonOf<paths['/api/v1/me/bug-mail']['get']['responses'][200]>['prefs'][number];
