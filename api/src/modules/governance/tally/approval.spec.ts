import { createHash } from 'node:crypto';

import { tallyApproval, tallyPlurality, TallyInputError, tieBreakKey, TIE_BREAK_RULE } from './index';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('approval voting', () => {
  const options = ['alice', 'bob', 'carol'];

  it('counts every approval and elects the most approved option', () => {
    const result = tallyApproval({
      options,
      ballots: [['alice', 'bob'], ['bob'], ['bob', 'carol'], []],
      seed: 's',
    });
    expect(result).toMatchObject({
      method: 'approval',
      ballots: 4,
      counts: { alice: 1, bob: 3, carol: 1 },
      winners: ['bob'],
      tieBroken: false,
    });
    expect(result.order[0]).toBe('bob');
    // alice and carol tie for second: both get a key, but the tie decided no seat.
    expect(Object.keys(result.tieBreakKeys).sort()).toEqual(['alice', 'carol']);
  });

  it('fills several seats from the top of the order', () => {
    const result = tallyApproval({
      options,
      ballots: [
        ['alice', 'bob'],
        ['alice', 'bob'],
        ['alice', 'carol'],
      ],
      seed: 's',
      seats: 2,
    });
    expect(result.winners).toEqual(['alice', 'bob']);
  });

  it('never elects an option nobody approved, even to fill a seat', () => {
    const result = tallyApproval({ options, ballots: [['alice']], seed: 's', seats: 3 });
    expect(result.winners).toEqual(['alice']);
    expect(result.order).toHaveLength(3);
  });

  it('elects nobody from an empty ballot box', () => {
    const result = tallyApproval({ options, ballots: [], seed: 's' });
    expect(result.winners).toEqual([]);
    expect(result.tieBroken).toBe(false);
  });

  it('accepts option ids that are also Object.prototype names', () => {
    const result = tallyApproval({ options: ['constructor', 'toString'], ballots: [['toString']], seed: 's' });
    expect(result.counts).toEqual({ constructor: 0, toString: 1 });
    expect(result.winners).toEqual(['toString']);
  });

  it.each([
    ['an unknown option id', [['dave']], /unknown option "dave"/],
    ['the same option approved twice', [['bob', 'bob']], /approves "bob" twice/],
    ['a ballot that is not a list', ['alice'], /must list the approved option ids/],
  ])('rejects %s', (_what, ballots, message) => {
    const input = { options, ballots: ballots as string[][], seed: 's' };
    expect(() => tallyApproval(input)).toThrow(TallyInputError);
    expect(() => tallyApproval(input)).toThrow(message);
  });
});

describe('plurality voting', () => {
  const options = ['x', 'y', 'z'];

  it('counts one vote per ballot and elects the most chosen option', () => {
    const result = tallyPlurality({ options, ballots: ['x', 'y', 'y', 'z', 'y'], seed: 's' });
    expect(result).toMatchObject({
      method: 'plurality',
      ballots: 5,
      counts: { x: 1, y: 3, z: 1 },
      winners: ['y'],
      tieBroken: false,
    });
  });

  it('rejects a vote for an option that is not on the ballot', () => {
    expect(() => tallyPlurality({ options, ballots: ['x', 'w'], seed: 's' })).toThrow(TallyInputError);
    expect(() => tallyPlurality({ options, ballots: ['x', 'w'], seed: 's' })).toThrow(
      /Ballot 2 chooses unknown option "w"/,
    );
  });

  it('rejects duplicate option ids and a missing seed', () => {
    expect(() => tallyPlurality({ options: ['x', 'x'], ballots: [], seed: 's' })).toThrow(/Duplicate option id/);
    expect(() => tallyPlurality({ options, ballots: [], seed: undefined as unknown as string })).toThrow(
      /seed must be a string/,
    );
  });
});

describe('the tie-break', () => {
  const options = ['x', 'y', 'z'];
  const tied = ['x', 'y', 'z', 'x', 'y']; // x and y tie on 2 votes for one seat

  it('orders tied options by SHA-256 of "seed:option id", hex ascending, and publishes each key', () => {
    const seed = 'proposal-7f3a';
    const result = tallyPlurality({ options, ballots: tied, seed });
    expect(result.tieBreakKeys).toEqual({ x: sha256(`${seed}:x`), y: sha256(`${seed}:y`) });
    expect(tieBreakKey(seed, 'x')).toBe(sha256(`${seed}:x`));
    const expected = sha256(`${seed}:x`) < sha256(`${seed}:y`) ? ['x', 'y'] : ['y', 'x'];
    expect(result.order).toEqual([...expected, 'z']);
    expect(result.winners).toEqual([expected[0]]);
    expect(result.tieBroken).toBe(true);
  });

  it('gives the same result for the same seed and ballots', () => {
    const a = tallyPlurality({ options, ballots: tied, seed: 'same' });
    const b = tallyPlurality({ options, ballots: [...tied].reverse(), seed: 'same' });
    expect(b).toEqual(a);
  });

  it('can give a different winner for a different seed', () => {
    const winners = new Set(
      Array.from({ length: 16 }, (_, i) => tallyPlurality({ options, ballots: tied, seed: `seed-${i}` }).winners[0]),
    );
    expect(winners).toEqual(new Set(['x', 'y']));
  });

  it('does not depend on the order options are listed in', () => {
    const a = tallyApproval({ options: ['x', 'y'], ballots: [['x', 'y']], seed: 'order' });
    const b = tallyApproval({ options: ['y', 'x'], ballots: [['x', 'y']], seed: 'order' });
    expect(b.order).toEqual(a.order);
  });

  it('is described in words that name the hash and the direction', () => {
    expect(TIE_BREAK_RULE).toMatch(/SHA-256/);
    expect(TIE_BREAK_RULE).toMatch(/"<seed>:<option-id>"/);
    expect(TIE_BREAK_RULE).toMatch(/smallest first/);
  });
});
