import type { BallotMode, GovBodyEntity, ProposalKind, ProposalRules, VoteMethod } from './governance.entity';

/** The charter: one person one vote, simple majority; two-thirds for charter amendments. */
const BASE_RULES: ProposalRules = {
  quorumPercent: 50,
  threshold: 'simple',
  abstentions: 'count_for_quorum',
  minHours: 24,
  maxHours: 24 * 14,
};

const KIND_RULES: Partial<Record<ProposalKind, Partial<ProposalRules>>> = {
  charter: { quorumPercent: 67, threshold: 'two_thirds' },
  election: { quorumPercent: 0, minHours: 72, maxHours: 24 * 30 },
};

export function defaultRules(
  body: Pick<GovBodyEntity, 'rules'>,
  kind: ProposalKind,
  given: Partial<ProposalRules> = {},
) {
  const { ballotMode, ...bodyRules } = body.rules[kind] ?? {};
  const rules: ProposalRules = { ...BASE_RULES, ...KIND_RULES[kind], ...bodyRules, ...stripUndefined(given) };
  return { rules, ballotMode: ballotMode ?? defaultBallotMode(kind) };
}

export const defaultBallotMode = (kind: ProposalKind): BallotMode => (kind === 'election' ? 'secret' : 'roll_call');
export const defaultMethod = (kind: ProposalKind): VoteMethod => (kind === 'election' ? 'schulze' : 'motion');

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Human lines for the tally sheet and the proposal page. */
export function describeRules(rules: ProposalRules, electorate: number): string[] {
  const needed = Math.ceil((rules.quorumPercent * electorate) / 100);
  const threshold = {
    simple: 'simple majority (more yes than no)',
    two_thirds: 'two-thirds majority of yes over yes + no',
    three_to_one: '3:1 majority of yes over no',
  }[rules.threshold];
  return [
    `Quorum: ${rules.quorumPercent}% of ${electorate} eligible voters (${needed} ballots)`,
    `Threshold: ${threshold}`,
    `Abstentions: ${rules.abstentions === 'count_for_quorum' ? 'count toward quorum only' : 'not counted'}`,
    `Voting window: ${rules.minHours}–${rules.maxHours} hours`,
  ];
}
