import type { paths } from '$lib/api/schema';
import type { Lang, Translate } from '$lib/i18n';

/** Domain types derived from the paths (see $lib/api/types.ts for why not from component names). */
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;

export type GovBodySummary = JsonOf<paths['/api/v1/governance/bodies']['get']['responses'][200]>['items'][number];
export type GovBody = JsonOf<paths['/api/v1/governance/bodies/{slug}']['get']['responses'][200]>;
export type GovMember = GovBody['members'][number];
export type Office = NonNullable<GovMember['office']>;
export type ProposalPage = JsonOf<paths['/api/v1/governance/proposals']['get']['responses'][200]>;
export type ProposalSummary = ProposalPage['items'][number];
export type Proposal = JsonOf<paths['/api/v1/governance/proposals/{id}']['get']['responses'][200]>;
export type ProposalKind = Proposal['kind'];
export type ProposalStatus = Proposal['status'];
export type Outcome = NonNullable<Proposal['outcome']>;
export type VoteMethod = Proposal['method'];
export type BallotMode = Proposal['ballotMode'];
export type ElectorateKind = Proposal['electorate'];
export type Threshold = Proposal['rules']['threshold'];
export type AbstentionPolicy = Proposal['rules']['abstentions'];
export type GovComment = JsonOf<
  paths['/api/v1/governance/proposals/{id}/comments']['get']['responses'][200]
>['items'][number];
export type EligibilityRequest = JsonOf<
  paths['/api/v1/governance/proposals/{id}/eligibility-requests']['get']['responses'][200]
>['items'][number];
export type GovAuditTrail = JsonOf<paths['/api/v1/governance/proposals/{id}/audit']['get']['responses'][200]>;
export type GovAuditEntry = GovAuditTrail['items'][number];
export type GovSigRef = NonNullable<Proposal['sig']>;
export type BallotBody = NonNullable<
  paths['/api/v1/governance/proposals/{id}/ballot']['put']['requestBody']
>['content']['application/json'];

export const OFFICES: readonly Office[] = ['chair', 'vice_chair', 'secretary'];
/** The kinds a person may propose here; SIG creation starts on the SIG proposal page. */
export const NEW_KINDS = ['motion', 'policy', 'charter', 'sig_archive', 'election'] as const;
export type NewKind = (typeof NEW_KINDS)[number];
export const ELECTION_METHODS = ['schulze', 'approval', 'plurality'] as const;
export type ElectionMethod = (typeof ELECTION_METHODS)[number];
export const BALLOT_MODES: readonly BallotMode[] = ['roll_call', 'secret'];
export const ELECTORATES: readonly ElectorateKind[] = ['body', 'sig_maintainers', 'active_contributors'];
export const MOTION_VOTES = ['yes', 'no', 'abstain'] as const;
export type MotionVote = (typeof MOTION_VOTES)[number];

export function oneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** A body's name in the reader's language. */
export function bodyName(lang: Lang, body: { nameZh: string; nameEn: string }): string {
  return (lang === 'zh-CN' ? body.nameZh || body.nameEn : body.nameEn || body.nameZh) || '';
}

/** The body name of a proposal summary in the reader's language. */
export function proposalBodyName(lang: Lang, p: { bodyNameZh: string; bodyNameEn: string }): string {
  return bodyName(lang, { nameZh: p.bodyNameZh, nameEn: p.bodyNameEn });
}

export const kindLabel = (t: Translate, kind: ProposalKind): string => t(`gov.kind.${kind}`);
export const statusLabel = (t: Translate, status: ProposalStatus): string => t(`gov.status.${status}`);
export const outcomeLabel = (t: Translate, outcome: Outcome): string => t(`gov.outcome.${outcome}`);
export const officeLabel = (t: Translate, office: Office): string => t(`gov.office.${office}`);
export const methodLabel = (t: Translate, method: VoteMethod): string => t(`gov.method.${method}`);
export const ballotModeLabel = (t: Translate, mode: BallotMode): string => t(`gov.ballotMode.${mode}`);
export const thresholdLabel = (t: Translate, threshold: Threshold): string => t(`gov.threshold.${threshold}`);
export const abstentionsLabel = (t: Translate, policy: AbstentionPolicy): string => t(`gov.abstentions.${policy}`);
export const voteLabel = (t: Translate, vote: MotionVote): string => t(`gov.vote.${vote}`);

export function electorateLabel(t: Translate, kind: ElectorateKind, months: number | null): string {
  return kind === 'active_contributors'
    ? t('gov.electorate.active_contributors', { months: months ?? 12 })
    : t(`gov.electorate.${kind}`);
}

/** Badge class for a status: running votes stand out, finished ones are quiet. */
export function statusBadge(status: ProposalStatus): string {
  if (status === 'voting') return 'warn';
  if (status === 'closed' || status === 'withdrawn') return 'quiet';
  return '';
}

export function outcomeBadge(outcome: Outcome): string {
  return outcome === 'passed' ? 'ok' : 'bad';
}

/** Who someone is, for lists: the display name when there is one, with the username. */
export function personName(user: { username: string; displayName: string | null } | null): string {
  if (!user) return '—';
  return user.displayName ? `${user.displayName} (${user.username})` : user.username;
}

/** A field message from the API (which writes them in English) inside a sentence of the reader's language. */
export function fieldError(t: Translate, message: string | undefined): string | undefined {
  return message === undefined ? undefined : t('gov.field.error', { message });
}

/** A motion's roll-call vote as words; anything else (ranking strings …) as it is. */
export function voteText(t: Translate, vote: string): string {
  return oneOf(MOTION_VOTES, vote) ? voteLabel(t, vote) : vote;
}

/** Remaining time as days/hours/minutes, for the countdown. */
export function remaining(t: Translate, closesAt: string, now: number): string {
  const ms = new Date(closesAt).getTime() - now;
  if (!(ms > 0)) return t('gov.countdown.over');
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('gov.countdown.underMinute');
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('gov.countdown.days', { d, h, m });
  if (h > 0) return t('gov.countdown.hours', { h, m });
  return t('gov.countdown.minutes', { m });
}

// ---------------------------------------------------------------- the published result

export interface MotionTally {
  outcome: Outcome;
  eligible: number;
  yes: number;
  no: number;
  abstain: number;
  turnout: number;
  countedForQuorum: number;
  quorumNeeded: number;
  quorumMet: boolean;
  threshold: Threshold;
}

export interface SchulzeTally {
  method: 'schulze';
  options: string[];
  ballots: number;
  pairwise: number[][];
  strongest: number[][];
  tiers: string[][];
  order: string[];
  winners: string[];
  tieBroken: boolean;
}

export interface CountTally {
  method: 'approval' | 'plurality';
  options: string[];
  ballots: number;
  counts: Record<string, number>;
  order: string[];
  winners: string[];
  tieBroken: boolean;
}

export interface ResultOption {
  key: string;
  label: string;
  isNota: boolean;
}

export interface PublishedBallot {
  receipt: string;
  vote: string;
  voter?: string;
}

/** The result document the API publishes at the close (GET …/result), as version 1 writes it. */
export interface PublishedResult {
  method: VoteMethod;
  ballotMode: BallotMode;
  seats: number;
  rulesText: string[];
  electorate: number;
  turnout: number;
  quorumNeeded: number;
  quorumMet: boolean;
  outcome: Outcome;
  winners: string[];
  openedAt: string;
  closedAt: string;
  closedBecause: 'deadline' | 'all_voted' | 'settled';
  options: ResultOption[];
  tally: MotionTally | SchulzeTally | CountTally;
  ballots: PublishedBallot[];
  applied: { action: string; ok: boolean; reason?: string } | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The result document, if it has the shape this page knows (the API types it as a free-form
 * object); null otherwise, and the page then offers only the raw JSON and tally sheet links.
 */
export function asPublishedResult(doc: unknown): PublishedResult | null {
  if (!isObject(doc) || doc.version !== 1) return null;
  const ok =
    typeof doc.method === 'string' &&
    typeof doc.outcome === 'string' &&
    typeof doc.electorate === 'number' &&
    typeof doc.turnout === 'number' &&
    Array.isArray(doc.options) &&
    Array.isArray(doc.ballots) &&
    isObject(doc.tally);
  return ok ? (doc as unknown as PublishedResult) : null;
}

export const isSchulze = (tally: PublishedResult['tally']): tally is SchulzeTally =>
  'method' in tally && tally.method === 'schulze';
export const isCount = (tally: PublishedResult['tally']): tally is CountTally =>
  'method' in tally && (tally.method === 'approval' || tally.method === 'plurality');
export const isMotion = (tally: PublishedResult['tally']): tally is MotionTally => !('method' in tally);

/** Share in percent (0–100, one decimal) for bar widths. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}
