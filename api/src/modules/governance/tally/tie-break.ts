import { createHash } from 'node:crypto';

import { describeValue, TallyInputError } from './tally-input-error';

/**
 * The published tie-break rule. It has to be something anyone can recompute from the result alone
 * (no hidden randomness, no database order, no locale), and the caller's seed must be one nobody
 * can choose with the ballots in view, or the hash order could be shopped for after a tie shows.
 */
export const TIE_BREAK_RULE =
  'Options still tied after the count are ordered by the SHA-256 hash of "<seed>:<option-id>" (UTF-8), ' +
  'compared as lowercase hexadecimal strings, smallest first.';

/** The key an option is ordered by when it ties: `sha256("<seed>:<optionId>")` in lowercase hex. */
export function tieBreakKey(seed: string, optionId: string): string {
  return createHash('sha256').update(`${seed}:${optionId}`, 'utf8').digest('hex');
}

export interface BrokenTies {
  order: string[];
  /** Keys of the options that shared a tier with another option; untied options need none. */
  tieBreakKeys: Record<string, string>;
}

/** Flattens tiers (best first) into one strict order, ordering each tied tier by its members' keys. */
export function breakTies(tiers: readonly (readonly string[])[], seed: string): BrokenTies {
  const order: string[] = [];
  const tieBreakKeys: Record<string, string> = {};
  for (const tier of tiers) {
    if (tier.length === 1) {
      order.push(tier[0]);
      continue;
    }
    const keyed = tier.map((id) => ({ id, key: tieBreakKey(seed, id) }));
    // Plain code-unit comparison, not localeCompare: the order must not depend on the server's locale.
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { id, key } of keyed) {
      order.push(id);
      tieBreakKeys[id] = key;
    }
  }
  return { order, tieBreakKeys };
}

/**
 * Whether the tie-break changed who won: some tier holds both an elected option and an option that
 * could have been elected but was not. Ties among losers, or a tier elected whole, do not count.
 */
export function tieDecidedWinners(
  tiers: readonly (readonly string[])[],
  winners: readonly string[],
  couldWin: (id: string) => boolean,
): boolean {
  const elected = new Set(winners);
  return tiers.some(
    (tier) => tier.some((id) => elected.has(id)) && tier.some((id) => !elected.has(id) && couldWin(id)),
  );
}

export function checkSeed(seed: unknown): string {
  if (typeof seed !== 'string') throw new TallyInputError('The tie-break seed must be a string.');
  return seed;
}

export function checkSeats(seats: unknown): number {
  if (seats === undefined) return 1;
  if (typeof seats !== 'number' || !Number.isSafeInteger(seats) || seats < 1) {
    throw new TallyInputError(`Seats must be a whole number of at least 1, got ${describeValue(seats)}.`);
  }
  return seats;
}

/** Option ids must be distinct non-empty strings: every ballot and result refers to options by id. */
export function checkOptions(options: unknown): string[] {
  if (!Array.isArray(options) || options.length === 0) {
    throw new TallyInputError('A count needs at least one option.');
  }
  const seen = new Set<string>();
  for (const id of options as unknown[]) {
    if (typeof id !== 'string' || id.length === 0) {
      throw new TallyInputError('Option ids must be non-empty strings.');
    }
    if (seen.has(id)) throw new TallyInputError(`Duplicate option id "${id}".`);
    seen.add(id);
  }
  return options as string[];
}
