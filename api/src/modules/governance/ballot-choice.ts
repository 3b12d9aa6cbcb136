import { badRequest } from '../../common/errors';
import type { BallotDto } from './dto/governance.dto';
import type { BallotChoice, GovOptionEntity, VoteMethod } from './governance.entity';
import { ballotVoteString } from './tally';

/** Turns a submitted ballot into the stored choice, refusing anything the method does not allow. */
export function parseChoice(method: VoteMethod, options: GovOptionEntity[], dto: BallotDto): BallotChoice {
  const given = (['vote', 'ranks', 'approve', 'pick'] as const).filter((k) => dto[k] !== undefined);
  const expected = { motion: 'vote', schulze: 'ranks', approval: 'approve', plurality: 'pick' }[method];
  if (given.length !== 1 || given[0] !== expected) {
    throw badRequest('invalid_ballot', `This vote takes "${expected}" and nothing else.`, [
      { field: expected, message: 'required' },
    ]);
  }
  const keys = new Set(options.map((o) => o.key));
  const unknown = (list: string[]) => {
    const bad = list.filter((k) => !keys.has(k));
    if (bad.length) {
      throw badRequest('unknown_option', 'The ballot names options this vote does not have.', [
        { field: expected, message: `unknown: ${bad.join(', ')}` },
      ]);
    }
  };
  switch (method) {
    case 'motion':
      return { vote: dto.vote! };
    case 'schulze': {
      const ranks = dto.ranks!;
      unknown(Object.keys(ranks));
      for (const [key, rank] of Object.entries(ranks)) {
        if (!Number.isInteger(rank) || rank < 1 || rank > options.length) {
          throw badRequest('invalid_rank', `Ranks are whole numbers from 1 to ${options.length}.`, [
            { field: `ranks.${key}`, message: 'invalid rank' },
          ]);
        }
      }
      if (!Object.keys(ranks).length) {
        throw badRequest('empty_ballot', 'Rank at least one option.', [{ field: 'ranks', message: 'empty' }]);
      }
      return { ranks: Object.fromEntries(Object.entries(ranks).sort(([a], [b]) => a.localeCompare(b))) };
    }
    case 'approval':
      unknown(dto.approve!);
      return { approve: [...dto.approve!].sort() };
    case 'plurality':
      unknown([dto.pick!]);
      return { pick: dto.pick! };
  }
}

/** Ranks in option order, null for unranked: the tally library's ballot shape. */
export const rankVector = (options: GovOptionEntity[], choice: BallotChoice): (number | null)[] =>
  options.map((o) => ('ranks' in choice ? (choice.ranks[o.key] ?? null) : null));

/** One line per ballot in the published list: yes/no/abstain, Debian's "V:" marks, or the chosen keys. */
export function voteString(options: GovOptionEntity[], choice: BallotChoice): string {
  if ('vote' in choice) return choice.vote;
  if ('ranks' in choice) return ballotVoteString(rankVector(options, choice));
  if ('approve' in choice) return choice.approve.join(',') || '-';
  return choice.pick;
}
