import { describeValue, TallyInputError } from './tally-input-error';
import { breakTies, checkOptions, checkSeats, checkSeed, tieDecidedWinners } from './tie-break';

/**
 * A ranked ballot in Debian's terms: `ballot[i]` is the rank given to option `i`; smaller is
 * preferred, equal ranks are allowed, and `null` (unranked) sits below every ranked option, equal
 * to the other unranked ones. Only the order matters, so `[1, 5]` and `[1, 2]` are the same vote.
 */
export type RankedBallot = readonly (number | null)[];

export interface SchulzeInput {
  /** Option ids, distinct. */
  options: string[];
  ballots: (number | null)[][];
  /** Seeds the published tie-break (see TIE_BREAK_RULE); fixed when voting opens. */
  seed: string;
  /** An option id from `options`: nobody wins unless more ballots prefer them to it than the reverse. */
  noneOfTheAbove?: string;
  /** How many options are elected; default 1. */
  seats?: number;
}

export interface SchulzeResult {
  method: 'schulze';
  options: string[];
  ballots: number;
  /** `pairwise[i][j]`: ballots preferring option i over option j (the diagonal is 0). */
  pairwise: number[][];
  /** `strongest[i][j]`: strength of the strongest path from i to j, in winning votes (0 = none). */
  strongest: number[][];
  /** Options grouped in Schulze order before the tie-break, best first; a tier's members tie. */
  tiers: string[][];
  /** One strict order: the tiers, each tied tier ordered by the tie-break. */
  order: string[];
  /** The first `seats` options of `order` that defeat none-of-the-above (which itself never wins). */
  winners: string[];
  /** True when the tie-break decided who was elected. */
  tieBroken: boolean;
  /** The key each tied option was ordered by, so anyone can recompute the order. */
  tieBreakKeys: Record<string, string>;
  /** The seed the keys were made from, kept with the result so the tie-break can be checked from it alone. */
  seed: string;
}

/**
 * Counts ranked ballots with the Schulze method, as Debian and Elekto do.
 *
 * d[i][j] is the number of ballots ranking i strictly above j. A defeat i→j exists when
 * d[i][j] > d[j][i] and its strength is d[i][j] ("winning votes", Schulze's and Debian's
 * measure). The strength of a path is its weakest defeat; p[i][j] is the strongest path from i to
 * j (Floyd–Warshall widest path, O(n³)). i ranks above j when p[i][j] > p[j][i]; Schulze proved
 * this relation transitive, so repeatedly taking the options no remaining option ranks above gives
 * the tiers. Ties left inside a tier are broken by TIE_BREAK_RULE.
 *
 * Debian differs in one respect: it drops the options that do not beat the default option before
 * counting, where we rank every option and then skip those when electing. The two agree whenever
 * the dropped options do not sit on a strongest path that decides the top of the order, as in both
 * Debian leader elections replayed in schulze.spec.ts.
 */
export function tallySchulze(input: SchulzeInput): SchulzeResult {
  const options = checkOptions(input.options);
  const seed = checkSeed(input.seed);
  const seats = checkSeats(input.seats);
  const n = options.length;
  const nota = input.noneOfTheAbove === undefined ? -1 : options.indexOf(input.noneOfTheAbove);
  if (input.noneOfTheAbove !== undefined && nota < 0) {
    throw new TallyInputError(`None-of-the-above "${input.noneOfTheAbove}" is not one of the options.`);
  }
  if (!Array.isArray(input.ballots)) throw new TallyInputError('Ballots must be an array.');

  const d = pairwiseCounts(input.ballots, n);
  const p = strongestPaths(d, n);
  const tiers = schulzeTiers(p, n).map((tier) => tier.map((i) => options[i]));
  const { order, tieBreakKeys } = breakTies(tiers, seed);

  const index = new Map(options.map((id, i) => [id, i]));
  const couldWin = (id: string): boolean => {
    const i = index.get(id)!;
    return nota < 0 || (i !== nota && d[i * n + nota] > d[nota * n + i]);
  };
  const winners = order.filter(couldWin).slice(0, seats);

  return {
    method: 'schulze',
    options: [...options],
    ballots: input.ballots.length,
    pairwise: toMatrix(d, n),
    strongest: toMatrix(p, n),
    tiers,
    order,
    winners,
    tieBroken: tieDecidedWinners(tiers, winners, couldWin),
    tieBreakKeys,
    seed,
  };
}

/**
 * The pairwise matrix, flat (`d[i * n + j]`), validating each ballot as it goes. One pass per
 * ballot over the n(n-1)/2 pairs: 10,000 ballots of 20 options is 1.9 million comparisons.
 */
export function pairwiseCounts(ballots: readonly unknown[], n: number): Int32Array {
  const d = new Int32Array(n * n);
  // Reused for every ballot; unranked becomes +Infinity so it loses to every rank and ties its kind.
  const ranks = new Float64Array(n);
  for (let b = 0; b < ballots.length; b++) {
    const ballot = ballots[b];
    if (!Array.isArray(ballot) || ballot.length !== n) {
      throw new TallyInputError(
        `Ballot ${b + 1} must rank ${n} option(s), got ${Array.isArray(ballot) ? ballot.length : typeof ballot}.`,
      );
    }
    for (let i = 0; i < n; i++) {
      const r: unknown = ballot[i];
      if (r === null) ranks[i] = Infinity;
      else if (typeof r === 'number' && Number.isSafeInteger(r) && r >= 1) ranks[i] = r;
      else
        throw new TallyInputError(
          `Ballot ${b + 1} gives option ${i + 1} the rank ${describeValue(r)}; ranks are whole numbers from 1, or null.`,
        );
    }
    for (let i = 0; i < n; i++) {
      const ri = ranks[i];
      const row = i * n;
      for (let j = i + 1; j < n; j++) {
        const rj = ranks[j];
        if (ri < rj) d[row + j]++;
        else if (rj < ri) d[j * n + i]++;
      }
    }
  }
  return d;
}

/** Strongest path strengths in winning votes: Floyd–Warshall (widest path) over the defeats. */
export function strongestPaths(d: Int32Array, n: number): Int32Array {
  const p = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j && d[i * n + j] > d[j * n + i]) p[i * n + j] = d[i * n + j];
    }
  }
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const rowJ = j * n;
      const ji = p[rowJ + i];
      if (ji === 0) continue;
      for (let k = 0; k < n; k++) {
        if (k === i || k === j) continue;
        const via = ji < p[rowI + k] ? ji : p[rowI + k];
        if (via > p[rowJ + k]) p[rowJ + k] = via;
      }
    }
  }
  return p;
}

/**
 * Layers the options: each tier is the set of remaining options that no remaining option beats
 * (p[x][y] > p[y][x]). Because the relation is a strict partial order, a layer is never empty and
 * no option beats one in an earlier layer.
 */
export function schulzeTiers(p: Int32Array, n: number): number[][] {
  const remaining = new Set<number>(Array.from({ length: n }, (_, i) => i));
  const tiers: number[][] = [];
  while (remaining.size > 0) {
    const tier = [...remaining].filter((x) => ![...remaining].some((y) => p[y * n + x] > p[x * n + y]));
    if (tier.length === 0) throw new Error('Schulze relation has a cycle: the strongest-path matrix is corrupt.');
    for (const x of tier) remaining.delete(x);
    tiers.push(tier);
  }
  return tiers;
}

function toMatrix(flat: Int32Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, i * n + n)));
}
