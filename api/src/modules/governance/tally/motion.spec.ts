import { motionSettled, tallyMotion, TallyInputError, type MotionCount, type MotionRules } from './index';

const rules = (over: Partial<MotionRules> = {}): MotionRules => ({
  quorum: 0.5,
  threshold: 'simple',
  abstentions: 'count_for_quorum',
  ...over,
});
const count = (eligible: number, yes: number, no: number, abstain = 0): MotionCount => ({ eligible, yes, no, abstain });

describe('motion thresholds', () => {
  // [yes, no, abstain, threshold, outcome], always with 20 eligible and a quorum of 0 so only the threshold decides.
  it.each([
    [6, 5, 0, 'simple', 'passed'],
    [5, 5, 0, 'simple', 'failed'], // a tie is not a majority
    [5, 6, 0, 'simple', 'failed'],
    [1, 0, 9, 'simple', 'passed'], // abstentions never count against
    [0, 0, 5, 'simple', 'failed'],
    [10, 5, 0, 'two_thirds', 'passed'], // exactly 2/3
    [9, 5, 0, 'two_thirds', 'failed'], // 64%
    [2, 1, 0, 'two_thirds', 'passed'],
    [1, 0, 0, 'two_thirds', 'passed'],
    [0, 0, 4, 'two_thirds', 'failed'], // 0 ≥ 2/3 of 0 holds arithmetically, but nobody said yes
    [6, 3, 10, 'two_thirds', 'passed'], // abstentions are not part of yes + no
    [9, 3, 0, 'three_to_one', 'passed'], // exactly 3:1
    [8, 3, 0, 'three_to_one', 'failed'],
    [3, 0, 0, 'three_to_one', 'passed'],
    [0, 0, 2, 'three_to_one', 'failed'],
  ] as const)('%i yes, %i no, %i abstain under %s → %s', (yes, no, abstain, threshold, outcome) => {
    expect(tallyMotion(count(20, yes, no, abstain), rules({ threshold, quorum: 0 })).outcome).toBe(outcome);
  });
});

describe('motion quorum', () => {
  it.each([
    // eligible, yes, no, abstain, quorum, policy, needed, met, outcome
    [9, 3, 1, 0, 0.5, 'count_for_quorum', 5, false, 'no_quorum'],
    [9, 3, 1, 1, 0.5, 'count_for_quorum', 5, true, 'passed'], // the abstention completes the quorum
    [9, 3, 1, 1, 0.5, 'ignore', 5, false, 'no_quorum'], // … unless abstentions count for nothing
    [9, 4, 1, 0, 0.5, 'ignore', 5, true, 'passed'],
    [10, 5, 2, 0, 0.7, 'count_for_quorum', 7, true, 'passed'], // 0.7 × 10 is 7, not 8
    [30, 2, 0, 0, 0.1, 'count_for_quorum', 3, false, 'no_quorum'], // 0.1 × 30 is 3, not 4
    [15, 10, 0, 0, 2 / 3, 'count_for_quorum', 10, true, 'passed'],
    [7, 7, 0, 0, 1, 'count_for_quorum', 7, true, 'passed'],
    [7, 6, 0, 0, 1, 'count_for_quorum', 7, false, 'no_quorum'],
    [9, 0, 1, 0, 0, 'count_for_quorum', 0, true, 'failed'],
  ] as const)(
    '%i eligible, %i/%i/%i yes/no/abstain, quorum %d with abstentions %s: %i needed, met %s → %s',
    (eligible, yes, no, abstain, quorum, abstentions, needed, met, outcome) => {
      const result = tallyMotion(count(eligible, yes, no, abstain), rules({ quorum, abstentions }));
      expect(result.quorumNeeded).toBe(needed);
      expect(result.quorumMet).toBe(met);
      expect(result.outcome).toBe(outcome);
    },
  );

  it('reports turnout as every ballot cast, abstentions included, whatever the policy', () => {
    const result = tallyMotion(count(9, 2, 1, 3), rules({ abstentions: 'ignore' }));
    expect(result.turnout).toBe(6);
    expect(result.countedForQuorum).toBe(3);
  });

  it('calls a vote with no ballots at all no_quorum when a quorum is required', () => {
    expect(tallyMotion(count(9, 0, 0), rules({ quorum: 0.5 })).outcome).toBe('no_quorum');
    expect(tallyMotion(count(0, 0, 0), rules({ quorum: 0.5 })).outcome).toBe('no_quorum');
  });

  it('calls a vote with no ballots at all failed when no quorum is required', () => {
    const result = tallyMotion(count(9, 0, 0), rules({ quorum: 0 }));
    expect(result).toMatchObject({ outcome: 'failed', quorumNeeded: 0, quorumMet: true, turnout: 0 });
  });

  it('does not let abstentions alone meet the quorum when they count for nothing', () => {
    expect(tallyMotion(count(4, 0, 0, 4), rules({ quorum: 0.5, abstentions: 'ignore' })).outcome).toBe('no_quorum');
    expect(tallyMotion(count(4, 0, 0, 4), rules({ quorum: 0.5 })).outcome).toBe('failed');
  });

  it('returns the counts and rules it decided on', () => {
    expect(tallyMotion(count(9, 5, 2, 1), rules())).toEqual({
      outcome: 'passed',
      eligible: 9,
      yes: 5,
      no: 2,
      abstain: 1,
      turnout: 8,
      countedForQuorum: 8,
      quorumNeeded: 5,
      quorumMet: true,
      threshold: 'simple',
    });
  });
});

describe('early close (motionSettled)', () => {
  it('settles once every eligible voter has cast a ballot, abstentions included', () => {
    expect(motionSettled(count(5, 3, 1, 1), rules())).toMatchObject({ outcome: 'passed', turnout: 5 });
    expect(motionSettled(count(3, 0, 0, 3), rules({ abstentions: 'ignore' }))).toMatchObject({ outcome: 'no_quorum' });
    expect(motionSettled(count(4, 2, 2), rules())).toMatchObject({ outcome: 'failed' });
  });

  it('stays open while anyone has not voted, however lopsided the count, because cast ballots can still change', () => {
    // 8 of 9 have voted yes; yet all 8 may switch to no before the close, so the outcome is still open.
    expect(motionSettled(count(9, 8, 0), rules())).toBeNull();
    expect(motionSettled(count(9, 0, 8), rules({ threshold: 'three_to_one' }))).toBeNull();
    expect(motionSettled(count(9, 0, 0), rules())).toBeNull();
  });

  it('settles a vote with an empty electorate at once', () => {
    expect(motionSettled(count(0, 0, 0), rules({ quorum: 0 }))).toMatchObject({ outcome: 'failed' });
  });
});

describe('motion input validation', () => {
  it.each([
    ['more ballots than voters', count(3, 2, 2), rules(), /4 ballots were cast but only 3/],
    ['a negative count', count(3, -1, 0), rules(), /yes must be a whole number/],
    ['a fractional count', count(3, 1.5, 0), rules(), /yes must be a whole number/],
    ['a quorum above 1', count(3, 1, 0), rules({ quorum: 1.5 }), /Quorum must be a share/],
    ['a quorum that is not a number', count(3, 1, 0), rules({ quorum: Number.NaN }), /Quorum must be a share/],
    ['an unknown threshold', count(3, 1, 0), { ...rules(), threshold: 'unanimous' }, /Unknown threshold "unanimous"/],
    ['an unknown abstention policy', count(3, 1, 0), { ...rules(), abstentions: 'as_no' }, /Unknown abstention policy/],
  ])('rejects %s', (_what, c, r, message) => {
    expect(() => tallyMotion(c, r as MotionRules)).toThrow(TallyInputError);
    expect(() => tallyMotion(c, r as MotionRules)).toThrow(message);
  });
});
