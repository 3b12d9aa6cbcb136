import { TallyInputError } from './tally-input-error';
import { checkOptions } from './tie-break';

/*
 * Debian's tally sheets (vote.debian.org, www.debian.org/vote/<year>/vote_<nnn>_tally.txt) list one
 * line per ballot: `V: 21-3    <hash>`, one character per option in ballot order, the digit being
 * the rank and `-` meaning unranked. We read and write the same notation so a count here can be
 * compared line by line with one of theirs. Debian's ballots never had more than nine ranks per
 * line in the sheets we know of; past 9 we continue with letters (A = 10 … Z = 35), one character
 * per option either way.
 */

const DIGITS = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_RANK_CHAR = DIGITS.length;

/**
 * Parses the `V:` lines of a Debian tally sheet into ranked ballots (`ballot[i]` = rank of option
 * `i`, null = unranked). Every other line (headers, the option legend, comments) is ignored.
 * `optionIds` gives the option count and order; it is checked, not used for names.
 */
export function parseDebianTally(text: string, optionIds: string[]): (number | null)[][] {
  const n = checkOptions(optionIds).length;
  const ballots: (number | null)[][] = [];
  text.split(/\r?\n/).forEach((line, lineIndex) => {
    const match = /^V:\s+(\S+)/.exec(line);
    if (!match) return;
    const vote = match[1];
    if (vote.length !== n) {
      throw new TallyInputError(`Line ${lineIndex + 1}: vote "${vote}" has ${vote.length} marks for ${n} options.`);
    }
    const ballot: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      const mark = vote[i];
      const rank = mark === '-' ? null : DIGITS.indexOf(mark.toUpperCase()) + 1;
      if (rank === 0) throw new TallyInputError(`Line ${lineIndex + 1}: "${mark}" is not a rank in "${vote}".`);
      ballot.push(rank);
    }
    ballots.push(ballot);
  });
  return ballots;
}

/**
 * A ballot in the `V:` notation: `[1, null, 2]` → `"1-2"`. Ranks are written as given while they
 * fit one character (up to 35); a ballot using larger numbers is written with its ranks renumbered
 * 1, 2, 3… in the same order, which is the same vote because only the order of ranks counts.
 */
export function ballotVoteString(ballot: readonly (number | null)[]): string {
  const ranked: number[] = [];
  for (const r of ballot) {
    if (r === null) continue;
    if (!Number.isSafeInteger(r) || r < 1) {
      throw new TallyInputError(`The rank ${String(r)} is not a whole number from 1.`);
    }
    ranked.push(r);
  }
  const dense = ranked.every((r) => r <= MAX_RANK_CHAR) ? null : [...new Set(ranked)].sort((a, b) => a - b);
  if (dense && dense.length > MAX_RANK_CHAR) {
    throw new TallyInputError(
      `A ballot with more than ${MAX_RANK_CHAR} distinct ranks cannot be written in the V: notation.`,
    );
  }
  return ballot.map((r) => (r === null ? '-' : DIGITS[(dense ? dense.indexOf(r) + 1 : r) - 1])).join('');
}
