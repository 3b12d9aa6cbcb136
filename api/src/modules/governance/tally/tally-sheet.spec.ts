import {
  ballotVoteString,
  renderTallySheet,
  tallyMotion,
  tallyPlurality,
  tallySchulze,
  TIE_BREAK_RULE,
  type TallySheetMeta,
} from './index';

const meta: TallySheetMeta = {
  title: 'TOC election 2025',
  reference: 'toc-election-2025',
  opened: new Date('2025-03-01T00:00:00Z'),
  closed: new Date('2025-03-15T12:30:00Z'),
  electorate: 11,
  rules: ['Quorum: 50% of 11 eligible voters (6 ballots)', 'Secret ballot: receipts are HMAC-SHA256'],
  optionLabels: { a: 'Alice', b: 'Bob', c: 'Carol', nota: 'None of the above' },
};

const lines = (sheet: string): string[] => sheet.split('\n');

describe('the tally sheet of a ranked election', () => {
  // No cycle and no tie: Alice is the Condorcet winner, Bob beats Carol 3 to 2, None of the above is last.
  const ballots = [
    [1, 2, 3, 4],
    [1, 3, 2, 4],
    [2, 1, null, 3],
    [1, 3, null, 2],
    [3, 2, 1, 4],
  ];
  const result = tallySchulze({ options: ['a', 'b', 'c', 'nota'], ballots, seed: 'p-1', noneOfTheAbove: 'nota' });
  const receipts = ballots.map((b, i) => ({ receipt: `receipt-${i}`, vote: ballotVoteString(b) }));
  const sheet = renderTallySheet(meta, result, receipts);

  it('starts with what was decided, when, by how many, and under which rules', () => {
    expect(lines(sheet).slice(0, 14)).toEqual([
      'Tally sheet: TOC election 2025',
      '==============================',
      '',
      'Reference:  toc-election-2025',
      'Opened:     2025-03-01 00:00:00 UTC',
      'Closed:     2025-03-15 12:30:00 UTC',
      'Electorate: 11 eligible voters',
      'Ballots:    5 cast (45.5% turnout)',
      'Method:     Schulze (Condorcet, winning votes)',
      'Rules:',
      '  Quorum: 50% of 11 eligible voters (6 ballots)',
      '  Secret ballot: receipts are HMAC-SHA256',
      '',
      'Options',
    ]);
  });

  it("numbers the options in Debian's legend style", () => {
    expect(sheet).toContain(
      [
        '     Option 1----->: Alice',
        '   /  Option 2---->: Bob',
        '   |/  Option 3--->: Carol',
        '   ||/  Option 4-->: None of the above',
        '   |||/',
      ].join('\n'),
    );
  });

  it('prints the pairwise matrix row over column, as Debian does', () => {
    const d = result.pairwise;
    expect(sheet).toContain('Pairwise preferences');
    expect(sheet).toContain(`Option 1         ${d[0][1]}    ${d[0][2]}    ${d[0][3]}`);
    expect(sheet).toContain(`Option 2    ${d[1][0]}         ${d[1][2]}    ${d[1][3]}`);
  });

  it('prints the strongest paths and lists the defeats, strongest first', () => {
    expect(sheet).toContain('Strongest paths');
    const defeats = lines(sheet).filter((l) => / defeats /.test(l));
    expect(defeats[0]).toBe('Option 1 defeats Option 4: 5 to 0');
    expect(defeats).toContain(`Option 1 defeats Option 2: ${result.pairwise[0][1]} to ${result.pairwise[1][0]}`);
  });

  it('names the winner and lists each ballot with its receipt', () => {
    expect(sheet).toContain('Winner:     Alice');
    expect(sheet).toContain('V: 1234  receipt-0');
    expect(sheet).toContain('V: 21-3  receipt-2');
    expect(sheet).toContain('V: 13-2  receipt-3');
  });

  it('omits the tie-break section when nothing was tied', () => {
    expect(sheet).not.toContain('Tie-break');
    expect(sheet.endsWith('\n')).toBe(true);
  });

  it('renders the same result to the same text every time', () => {
    expect(renderTallySheet(meta, result, receipts)).toBe(sheet);
  });
});

describe('the tally sheet of a tied count', () => {
  it('states the rule, the seed and every key, and whether the tie decided the seat', () => {
    const result = tallyPlurality({ options: ['a', 'b', 'c'], ballots: ['a', 'b'], seed: 'p-2' });
    const sheet = renderTallySheet(meta, result);
    expect(sheet).toContain('Method:     plurality');
    expect(sheet).toMatch(/^Alice {2}1$/m);
    expect(sheet).toMatch(/^Carol {2}0$/m);
    expect(sheet).toContain('Ranking:    ');
    expect(sheet.replace(/\n {12}/g, ' ')).toContain(`Tie-break:  ${TIE_BREAK_RULE}`);
    expect(sheet).toContain('Seed: p-2');
    expect(sheet).toContain(`a  ${result.tieBreakKeys.a}  (Alice)`);
    expect(sheet).toContain('The tie-break decided who was elected.');
    expect(lines(sheet).every((l) => l.length <= 100)).toBe(true);
  });
});

describe('the tally sheet of a motion', () => {
  it('shows the counts, the quorum, the threshold and the outcome', () => {
    const result = tallyMotion(
      { eligible: 9, yes: 5, no: 2, abstain: 1 },
      { quorum: 0.5, threshold: 'two_thirds', abstentions: 'count_for_quorum' },
    );
    const sheet = renderTallySheet({ ...meta, title: 'Archive SIG Foo', electorate: 9, rules: [] }, result, [
      { receipt: 'alice', vote: 'Y' },
      { receipt: 'bob', vote: 'N' },
    ]);
    expect(sheet).toContain('Ballots:    8 cast (88.9% turnout)');
    expect(sheet).toContain('Method:     motion (yes / no / abstain)');
    expect(sheet).toContain('Yes:        5\nNo:         2\nAbstain:    1');
    expect(sheet).toContain('Quorum:     8 counted, 5 needed: met');
    expect(sheet).toContain('Threshold:  two-thirds majority');
    expect(sheet).toContain('Outcome:    PASSED');
    expect(sheet).toContain('V: Y  alice\nV: N  bob');
    expect(sheet).not.toContain('Rules:');
  });

  it('says NO QUORUM when the quorum was missed', () => {
    const result = tallyMotion(
      { eligible: 9, yes: 1, no: 0, abstain: 0 },
      { quorum: 0.5, threshold: 'simple', abstentions: 'ignore' },
    );
    expect(renderTallySheet(meta, result)).toContain('Outcome:    NO QUORUM');
  });
});
