import { describeValue, TallyInputError } from './tally-input-error';
import { breakTies, checkOptions, checkSeats, checkSeed, tieDecidedWinners } from './tie-break';

export interface ApprovalInput {
  options: string[];
  /** Per ballot, the ids of the options it approves (possibly none). */
  ballots: string[][];
  seed: string;
  seats?: number;
}

export interface PluralityInput {
  options: string[];
  /** Per ballot, the one option id it chooses. */
  ballots: string[];
  seed: string;
  seats?: number;
}

export interface CountResult {
  method: 'approval' | 'plurality';
  options: string[];
  ballots: number;
  counts: Record<string, number>;
  /** Most votes first; equal counts ordered by the tie-break. */
  order: string[];
  /** The first `seats` options of `order` that received at least one vote. */
  winners: string[];
  /** True when the tie-break decided who was elected. */
  tieBroken: boolean;
  tieBreakKeys: Record<string, string>;
  /** The seed the keys were made from, kept with the result so the tie-break can be checked from it alone. */
  seed: string;
}

/** Approval voting: each ballot approves any number of options; most approvals win. */
export function tallyApproval(input: ApprovalInput): CountResult {
  const options = checkOptions(input.options);
  const known = new Set(options);
  if (!Array.isArray(input.ballots)) throw new TallyInputError('Ballots must be an array.');
  const counts = zeroCounts(options);
  input.ballots.forEach((ballot: unknown, b) => {
    if (!Array.isArray(ballot)) throw new TallyInputError(`Ballot ${b + 1} must list the approved option ids.`);
    const approved = new Set<string>();
    for (const id of ballot as unknown[]) {
      if (typeof id !== 'string' || !known.has(id)) {
        throw new TallyInputError(`Ballot ${b + 1} approves unknown option ${describeValue(id)}.`);
      }
      // Approving twice would be a second vote for the same option, not a stronger one.
      if (approved.has(id)) throw new TallyInputError(`Ballot ${b + 1} approves "${id}" twice.`);
      approved.add(id);
      counts[id]++;
    }
  });
  return rankCounts('approval', options, input.ballots.length, counts, input.seed, input.seats);
}

/** Plurality (first past the post): each ballot names one option; most votes win. */
export function tallyPlurality(input: PluralityInput): CountResult {
  const options = checkOptions(input.options);
  const known = new Set(options);
  if (!Array.isArray(input.ballots)) throw new TallyInputError('Ballots must be an array.');
  const counts = zeroCounts(options);
  input.ballots.forEach((choice: unknown, b) => {
    if (typeof choice !== 'string' || !known.has(choice)) {
      throw new TallyInputError(`Ballot ${b + 1} chooses unknown option ${describeValue(choice)}.`);
    }
    counts[choice]++;
  });
  return rankCounts('plurality', options, input.ballots.length, counts, input.seed, input.seats);
}

function zeroCounts(options: string[]): Record<string, number> {
  // A null prototype so an option called "constructor" or "__proto__" is just another key.
  const counts = Object.create(null) as Record<string, number>;
  for (const id of options) counts[id] = 0;
  return counts;
}

/**
 * Orders by count, groups equal counts into tiers and breaks them with the shared rule. An option
 * nobody voted for is never elected: a seat left empty is better than one filled by a hash.
 */
function rankCounts(
  method: CountResult['method'],
  options: string[],
  ballots: number,
  counts: Record<string, number>,
  seedInput: unknown,
  seatsInput: unknown,
): CountResult {
  const seed = checkSeed(seedInput);
  const seats = checkSeats(seatsInput);
  const distinct = [...new Set(options.map((id) => counts[id]))].sort((a, b) => b - a);
  const tiers = distinct.map((c) => options.filter((id) => counts[id] === c));
  const { order, tieBreakKeys } = breakTies(tiers, seed);
  const couldWin = (id: string): boolean => counts[id] > 0;
  const winners = order.filter(couldWin).slice(0, seats);
  return {
    method,
    options: [...options],
    ballots,
    counts: { ...counts },
    order,
    winners,
    tieBroken: tieDecidedWinners(tiers, winners, couldWin),
    tieBreakKeys,
    seed,
  };
}
