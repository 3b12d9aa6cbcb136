import { describeValue, TallyInputError } from './tally-input-error';

/** simple: yes > no; two_thirds: yes ≥ ⅔ of yes+no; three_to_one: yes ≥ 3 × no. */
export type Threshold = 'simple' | 'two_thirds' | 'three_to_one';
/** count_for_quorum: an abstention is a ballot for the quorum but never for the majority; ignore: it counts for nothing. */
export type AbstentionPolicy = 'count_for_quorum' | 'ignore';

export interface MotionRules {
  /** Share (0..1) of eligible voters whose ballots must count towards the quorum. */
  quorum: number;
  threshold: Threshold;
  abstentions: AbstentionPolicy;
}

export interface MotionCount {
  eligible: number;
  yes: number;
  no: number;
  abstain: number;
}

export interface MotionResult {
  outcome: 'passed' | 'failed' | 'no_quorum';
  eligible: number;
  yes: number;
  no: number;
  abstain: number;
  /** Ballots cast, abstentions included whatever the policy. */
  turnout: number;
  /** Ballots that count towards the quorum: yes + no, plus abstain under count_for_quorum. */
  countedForQuorum: number;
  /** Ballots the quorum needs: ceil(quorum × eligible). */
  quorumNeeded: number;
  quorumMet: boolean;
  threshold: Threshold;
}

const THRESHOLDS: readonly Threshold[] = ['simple', 'two_thirds', 'three_to_one'];
const POLICIES: readonly AbstentionPolicy[] = ['count_for_quorum', 'ignore'];

/**
 * Decides a yes/no/abstain motion. Abstentions never count towards the majority; under
 * `count_for_quorum` they help reach the quorum. With no ballot counted the motion is `no_quorum`
 * when a quorum is required and `failed` otherwise (nothing was approved).
 */
export function tallyMotion(count: MotionCount, rules: MotionRules): MotionResult {
  checkCount(count);
  checkRules(rules);
  const { eligible, yes, no, abstain } = count;
  const countedForQuorum = yes + no + (rules.abstentions === 'count_for_quorum' ? abstain : 0);
  const quorumNeeded = ballotsNeeded(rules.quorum, eligible);
  const quorumMet = countedForQuorum >= quorumNeeded && !(rules.quorum > 0 && countedForQuorum === 0);
  const outcome = !quorumMet ? 'no_quorum' : meetsThreshold(yes, no, rules.threshold) ? 'passed' : 'failed';
  return {
    outcome,
    eligible,
    yes,
    no,
    abstain,
    turnout: yes + no + abstain,
    countedForQuorum,
    quorumNeeded,
    quorumMet,
    threshold: rules.threshold,
  };
}

/**
 * The result if voting may close early, or null while it must stay open.
 *
 * The rule: settled exactly when every eligible voter has cast a ballot. Cast ballots may be
 * changed until the close, so no partial count is ever final: whenever at least one voter is
 * eligible, everyone voting yes passes the motion (yes > 0, no = 0, turnout = electorate ≥ quorum)
 * and everyone voting no fails it, and both stay reachable from any tally. A full turnout is the
 * one point where the charter lets the chair stop waiting, and closing then freezes the ballots.
 */
export function motionSettled(count: MotionCount, rules: MotionRules): MotionResult | null {
  const result = tallyMotion(count, rules);
  return result.turnout === result.eligible ? result : null;
}

/** ceil(share × eligible) without floating-point surprises: 0.7 × 10 is 7.000000000000001 in IEEE doubles. */
export function ballotsNeeded(share: number, eligible: number): number {
  return Math.ceil(Math.round(share * eligible * 1e9) / 1e9);
}

function meetsThreshold(yes: number, no: number, threshold: Threshold): boolean {
  switch (threshold) {
    case 'simple':
      return yes > no;
    case 'two_thirds':
      // Integers only: yes / (yes + no) ≥ 2/3 ⇔ 3·yes ≥ 2·(yes + no).
      return yes > 0 && 3 * yes >= 2 * (yes + no);
    case 'three_to_one':
      return yes > 0 && yes >= 3 * no;
  }
}

function checkCount(count: MotionCount): void {
  for (const key of ['eligible', 'yes', 'no', 'abstain'] as const) {
    const v: unknown = count[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new TallyInputError(`${key} must be a whole number of at least 0, got ${describeValue(v)}.`);
    }
  }
  if (count.yes + count.no + count.abstain > count.eligible) {
    throw new TallyInputError(
      `${count.yes + count.no + count.abstain} ballots were cast but only ${count.eligible} voters are eligible.`,
    );
  }
}

function checkRules(rules: MotionRules): void {
  if (typeof rules.quorum !== 'number' || !(rules.quorum >= 0 && rules.quorum <= 1)) {
    throw new TallyInputError(`Quorum must be a share between 0 and 1, got ${describeValue(rules.quorum)}.`);
  }
  if (!THRESHOLDS.includes(rules.threshold)) {
    throw new TallyInputError(`Unknown threshold ${describeValue(rules.threshold)}.`);
  }
  if (!POLICIES.includes(rules.abstentions)) {
    throw new TallyInputError(`Unknown abstention policy ${describeValue(rules.abstentions)}.`);
  }
}
