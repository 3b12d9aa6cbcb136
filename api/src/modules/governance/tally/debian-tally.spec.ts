import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ballotVoteString, parseDebianTally, TallyInputError } from './index';

describe("Debian's V: ballot notation", () => {
  it('writes one mark per option: the rank, or - when unranked', () => {
    expect(ballotVoteString([1, null, 2])).toBe('1-2');
    expect(ballotVoteString([null, null])).toBe('--');
    expect(ballotVoteString([2, 1, 2, 3])).toBe('2123');
  });

  it('continues past 9 with letters so every option keeps one column', () => {
    expect(ballotVoteString([10, 1, 35, null])).toBe('A1Z-');
  });

  it('renumbers ranks above 35 densely, which is the same vote', () => {
    expect(ballotVoteString([100, 7, null, 100])).toBe('21-2');
  });

  it('refuses ranks that are not whole numbers from 1', () => {
    expect(() => ballotVoteString([0, 1])).toThrow(TallyInputError);
    expect(() => ballotVoteString([1.5, 1])).toThrow(TallyInputError);
  });

  it('reads back what it writes', () => {
    const ballots = [
      [1, null, 2],
      [3, 3, 1],
      [null, null, null],
      [12, 1, 30],
    ];
    const sheet = ballots.map((b, i) => `V: ${ballotVoteString(b)}\t\treceipt-${i}`).join('\n');
    expect(parseDebianTally(sheet, ['a', 'b', 'c'])).toEqual(ballots);
  });
});

describe('parseDebianTally', () => {
  it('reads only the V: lines and ignores the header, legend and comments', () => {
    const sheet = [
      '# a comment',
      '\t\t       Tally Sheet for the votes cast.',
      '     Option 1----->: Jonathan Carter',
      '   /  Option 2---->: Sruthi Chandran',
      '   |/',
      'V: 21 \t\t00230fd5e1d4c86edfefc517d88a8a6421826b429fd2eb50ba9671c127897e6a',
      'V: 1-\t\t00a38267cbca56da01221dc49c7e8a0d5c0c92ac6943736c47301b76f07fee55',
      '',
    ].join('\r\n');
    expect(parseDebianTally(sheet, ['carter', 'chandran'])).toEqual([
      [2, 1],
      [1, null],
    ]);
  });

  it('parses the 339 ballots of the Debian 2020 leader election', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'debian-leader2020.tally.txt'), 'utf8');
    const ballots = parseDebianTally(text, ['carter', 'chandran', 'gupta', 'nota']);
    expect(ballots).toHaveLength(339);
    // The first line of the published sheet: "V: 2313 … 00230fd5…".
    expect(ballots[0]).toEqual([2, 3, 1, 3]);
  });

  it('rejects a vote with a mark missing or too many', () => {
    expect(() => parseDebianTally('V: 12-\tx', ['a', 'b'])).toThrow(/has 3 marks for 2 options/);
  });

  it('rejects a mark that is not a rank', () => {
    expect(() => parseDebianTally('V: 1?\tx', ['a', 'b'])).toThrow(TallyInputError);
    expect(() => parseDebianTally('V: 10\tx', ['a', 'b'])).toThrow(/"0" is not a rank/);
  });
});
