import {
  BUG_PRIORITIES,
  BUG_RESOLUTIONS,
  BUG_SEVERITIES,
  BUG_STATUSES,
  CLOSED_STATUSES,
  FieldFilter,
  OPEN_STATUSES,
  QS_FIELD_ALIASES,
  QS_IS_VALUES,
  QS_LIMITS,
  QsField,
  QuickSearch,
  parseQuickSearch,
} from './quicksearch';

const parse = parseQuickSearch;
const filter = (field: QsField, values: string[], negated = false): FieldFilter => ({ field, values, negated });
const word = (text: string, negated = false) => ({ text, phrase: false, negated });
const phrase = (text: string, negated = false) => ({ text, phrase: true, negated });
const errorCodes = (q: QuickSearch) => q.errors.map((e) => e.code);

describe('parseQuickSearch', () => {
  describe('the documented example', () => {
    it('parses statuses, component, phrase, assignee, priority range and an excluded resolution', () => {
      const q = parse('status:NEW,CONFIRMED component:kernel "kernel panic" @alice P1-2 -wontfix');
      expect(q).toEqual({
        text: [phrase('kernel panic')],
        filters: [
          filter('status', ['CONFIRMED']),
          filter('component', ['kernel']),
          filter('assignee', ['alice']),
          filter('priority', ['P1', 'P2']),
          filter('resolution', ['WONTFIX'], true),
        ],
        hasStatusFilter: true,
        errors: [],
      });
    });
  });

  describe('words and phrases', () => {
    it('returns an empty, open-bugs-only query for blank input', () => {
      expect(parse('   \t\n ')).toEqual({ text: [], filters: [], hasStatusFilter: false, errors: [] });
    });

    it('splits words on ordinary and full-width spaces', () => {
      expect(parse('kernel\u3000panic  oops').text).toEqual([word('kernel'), word('panic'), word('oops')]);
    });

    it('keeps Chinese and mixed text as separate terms', () => {
      expect(parse('内核崩溃 kernel').text).toEqual([word('内核崩溃'), word('kernel')]);
    });

    it('splits a Chinese word at list punctuation inside it', () => {
      expect(parse('内核，崩溃、死锁').text).toEqual([word('内核'), word('崩溃'), word('死锁')]);
    });

    it('makes a phrase from double quotes and keeps its spaces', () => {
      expect(parse('"kernel   panic" x').text).toEqual([phrase('kernel panic'), word('x')]);
    });

    it('makes a phrase from Chinese quotes', () => {
      expect(parse('“内核 崩溃” 启动').text).toEqual([phrase('内核 崩溃'), word('启动')]);
    });

    it('runs an unclosed quote to the end of the line', () => {
      expect(parse('boot "kernel panic').text).toEqual([word('boot'), phrase('kernel panic')]);
    });

    it('trims surrounding punctuation from text terms', () => {
      expect(parse('(kernel), panic. 【内核】 崩溃！ “oops”? [x]').text).toEqual([
        word('kernel'),
        word('panic'),
        word('内核'),
        word('崩溃'),
        phrase('oops'),
        word('x'),
      ]);
    });

    it('drops tokens with no letter or digit', () => {
      expect(parse('... ， 。 !? -- @ # : - "" “”')).toEqual({
        text: [],
        filters: [],
        hasStatusFilter: false,
        errors: [],
      });
    });

    it('negates a word or a phrase with a leading minus', () => {
      expect(parse('-oops -"foo bar" -“内核 崩溃”').text).toEqual([
        word('oops', true),
        phrase('foo bar', true),
        phrase('内核 崩溃', true),
      ]);
    });

    it('ignores a lone minus', () => {
      expect(parse('kernel - panic').text).toEqual([word('kernel'), word('panic')]);
    });

    it('keeps inner punctuation so URLs and hyphenated words survive', () => {
      expect(parse('http://example.com/a?b=1 kernel-tools').text).toEqual([
        word('http://example.com/a?b=1'),
        word('kernel-tools'),
      ]);
    });

    it('reads full-width letters, digits and colons typed with a Chinese IME', () => {
      const q = parse('status：ＮＥＷ Ｐ１ ＃１２');
      expect(q.filters).toEqual([filter('status', ['CONFIRMED']), filter('priority', ['P1']), filter('id', ['12'])]);
    });
  });

  describe('field filters', () => {
    it('reads every field name and alias, ignoring case', () => {
      for (const [field, names] of Object.entries(QS_FIELD_ALIASES) as [QsField, readonly string[]][]) {
        for (const name of names) {
          const value = { status: 'NEW', resolution: 'FIXED', severity: 'major', priority: 'P3', id: '7', is: 'open' }[
            field as string
          ];
          const q = parse(`${name.toUpperCase()}:${value ?? 'x'}`);
          expect(q.errors).toEqual([]);
          expect(q.filters.map((f) => f.field)).toEqual([field]);
        }
      }
    });

    it('accepts the documented aliases for common fields', () => {
      const q = parse('st:new res:dup pr:OS pkg:kernel package:glibc comp:gcc hw:x86_64 platform:arm kw:regression');
      expect(q.filters.map((f) => [f.field, f.values[0]])).toEqual([
        ['status', 'CONFIRMED'],
        ['resolution', 'DUPLICATE'],
        ['product', 'OS'],
        ['component', 'kernel'],
        ['component', 'glibc'],
        ['component', 'gcc'],
        ['hardware', 'x86_64'],
        ['hardware', 'arm'],
        ['keywords', 'regression'],
      ]);
    });

    it('ORs comma-separated values inside one filter', () => {
      expect(parse('component:kernel,glibc').filters).toEqual([filter('component', ['kernel', 'glibc'])]);
    });

    it('keeps repeated filters on the same field as separate AND-ed entries', () => {
      expect(parse('kw:regression kw:security').filters).toEqual([
        filter('keywords', ['regression']),
        filter('keywords', ['security']),
      ]);
    });

    it('negates a filter with a leading minus', () => {
      expect(parse('-component:kernel').filters).toEqual([filter('component', ['kernel'], true)]);
    });

    it('takes quoted values whole, commas and spaces included', () => {
      expect(parse('component:"kernel tools" comp:a,"b,c"').filters).toEqual([
        filter('component', ['kernel tools']),
        filter('component', ['a', 'b,c']),
      ]);
    });

    it('drops empty entries between commas and duplicate values', () => {
      expect(parse('comp:a,,b,a,').filters).toEqual([filter('component', ['a', 'b'])]);
    });

    it('reports a field with an empty value', () => {
      const q = parse('status: comp:"" kernel');
      expect(errorCodes(q)).toEqual(['empty_value', 'empty_value']);
      expect(q.errors.map((e) => e.token)).toEqual(['status:', 'comp:""']);
      expect(q.filters).toEqual([]);
      expect(q.text).toEqual([word('kernel')]);
    });

    it('treats a word whose prefix is not a field as text', () => {
      const q = parse('error: foo:bar http://x :colon');
      expect(q.filters).toEqual([]);
      expect(q.text).toEqual([word('error'), word('foo:bar'), word('http://x'), word('colon')]);
    });

    it('treats a quoted field-looking word as text', () => {
      expect(parse('"status:NEW"')).toMatchObject({ text: [phrase('status:NEW')], filters: [] });
    });

    it('keeps everything after the first colon in the value', () => {
      expect(parse('url:https://example.com/x').filters).toEqual([filter('url', ['https://example.com/x'])]);
    });

    it('strips a leading @ from usernames in user fields', () => {
      expect(parse('assignee:@alice reporter:@bob qa:carol cc:@dan,@erin commenter:@fay owner:@gus').filters).toEqual([
        filter('assignee', ['alice']),
        filter('reporter', ['bob']),
        filter('qa', ['carol']),
        filter('cc', ['dan', 'erin']),
        filter('commenter', ['fay']),
        filter('assignee', ['gus']),
      ]);
    });

    it('upper-cases CVE ids and keeps other free values as typed', () => {
      expect(parse('cve:cve-2024-1234 flag:needinfo sig:Kernel wb:Triaged target:9.2 ver:8.6').filters).toEqual([
        filter('cve', ['CVE-2024-1234']),
        filter('flag', ['needinfo']),
        filter('sig', ['Kernel']),
        filter('whiteboard', ['Triaged']),
        filter('target', ['9.2']),
        filter('version', ['8.6']),
      ]);
    });
  });

  describe('status', () => {
    it('upper-cases statuses and maps the Bugzilla workflow names', () => {
      expect(parse('status:new,assigned,reopened,unconfirmed,verified,in-progress').filters).toEqual([
        filter('status', ['CONFIRMED', 'IN_PROGRESS', 'UNCONFIRMED', 'VERIFIED']),
      ]);
    });

    it('expands OPEN, CLOSED and ALL', () => {
      expect(parse('status:open').filters).toEqual([filter('status', [...OPEN_STATUSES])]);
      expect(parse('status:closed').filters).toEqual([filter('status', [...CLOSED_STATUSES])]);
      expect(parse('status:all')).toMatchObject({
        filters: [filter('status', [...BUG_STATUSES])],
        hasStatusFilter: true,
      });
    });

    it('reports an unknown status and ignores the whole word', () => {
      const q = parse('status:NEW,BOGUS kernel');
      expect(q.filters).toEqual([]);
      expect(q.hasStatusFilter).toBe(false);
      expect(q.errors).toEqual([
        { token: 'status:NEW,BOGUS', code: 'invalid_value', message: expect.stringContaining('BOGUS') },
      ]);
    });

    it('refuses to exclude every status', () => {
      expect(errorCodes(parse('-status:ALL'))).toEqual(['excludes_everything']);
      expect(errorCodes(parse('-status:open,closed'))).toEqual(['excludes_everything']);
      expect(errorCodes(parse('-ALL'))).toEqual(['excludes_everything']);
    });

    it('counts an excluded status as a status filter', () => {
      expect(parse('-status:RESOLVED')).toMatchObject({
        filters: [filter('status', ['RESOLVED'], true)],
        hasStatusFilter: true,
      });
    });
  });

  describe('resolution, severity, priority and is', () => {
    it('upper-cases resolutions and maps DUP to DUPLICATE', () => {
      expect(parse('res:fixed,Dup,worksforme').filters).toEqual([
        filter('resolution', ['FIXED', 'DUPLICATE', 'WORKSFORME']),
      ]);
    });

    it('reports an unknown resolution', () => {
      expect(parse('resolution:MOVED')).toMatchObject({ filters: [], errors: [{ code: 'invalid_value' }] });
    });

    it('lower-cases severities and reports unknown ones', () => {
      expect(parse('sev:MAJOR,Blocker').filters).toEqual([filter('severity', ['major', 'blocker'])]);
      expect(parse('severity:catastrophic')).toMatchObject({ filters: [], errors: [{ code: 'invalid_value' }] });
    });

    it('accepts every listed severity including normal', () => {
      expect(parse(`sev:${BUG_SEVERITIES.join(',')}`).filters).toEqual([filter('severity', [...BUG_SEVERITIES])]);
    });

    it('reads priorities, digits and ranges in either order', () => {
      expect(parse('pri:p2 pri:4 pri:P4-2 priority:P1-P5').filters).toEqual([
        filter('priority', ['P2']),
        filter('priority', ['P4']),
        filter('priority', ['P2', 'P3', 'P4']),
        filter('priority', [...BUG_PRIORITIES]),
      ]);
    });

    it('reports priority:P9', () => {
      const q = parse('priority:P9');
      expect(q.filters).toEqual([]);
      expect(q.errors).toEqual([
        { token: 'priority:P9', code: 'invalid_value', message: expect.stringContaining('P9') },
      ]);
    });

    it('lower-cases is: values and reports unknown ones', () => {
      expect(parse(`is:${QS_IS_VALUES.map((v) => v.toUpperCase()).join(',')}`).filters).toEqual([
        filter('is', [...QS_IS_VALUES]),
      ]);
      expect(errorCodes(parse('is:shiny'))).toEqual(['invalid_value']);
    });
  });

  describe('shorthands', () => {
    it('turns @alice into an assignee filter', () => {
      expect(parse('@alice').filters).toEqual([filter('assignee', ['alice'])]);
    });

    it('turns @alice,bob into one assignee filter with either', () => {
      expect(parse('@alice,@bob').filters).toEqual([filter('assignee', ['alice', 'bob'])]);
    });

    it('excludes an assignee with -@alice', () => {
      expect(parse('-@alice').filters).toEqual([filter('assignee', ['alice'], true)]);
    });

    it('leaves an email address in text as text', () => {
      expect(parse('alice@example.com')).toMatchObject({ text: [word('alice@example.com')], filters: [] });
    });

    it('turns #123 and a bare number into one id filter', () => {
      expect(parse('#123 456 id:789,#123 bug:10').filters).toEqual([filter('id', ['123', '456', '789', '10'])]);
    });

    it('collects excluded ids into one separate excluded id filter', () => {
      expect(parse('-#5 12 -6').filters).toEqual([filter('id', ['5', '6'], true), filter('id', ['12'])]);
    });

    it('drops leading zeros from bug numbers', () => {
      expect(parse('#007').filters).toEqual([filter('id', ['7'])]);
    });

    it('keeps zero and too-large bare numbers as text', () => {
      expect(parse('0 99999999999')).toMatchObject({ text: [word('0'), word('99999999999')], filters: [] });
    });

    it('reports #0, an oversized #number and id:abc', () => {
      expect(errorCodes(parse('#0 #99999999999 id:abc'))).toEqual(['invalid_value', 'invalid_value', 'invalid_value']);
    });

    it('keeps #word as text', () => {
      expect(parse('#include').text).toEqual([word('#include')]);
    });

    it('reads P1…P5, ranges and lists as priority, in any case', () => {
      expect(parse('P1 p3 P1-2 P2-P4 p1,p3 (P5)').filters).toEqual([
        filter('priority', ['P1']),
        filter('priority', ['P3']),
        filter('priority', ['P1', 'P2']),
        filter('priority', ['P2', 'P3', 'P4']),
        filter('priority', ['P1', 'P3']),
        filter('priority', ['P5']),
      ]);
    });

    it('excludes priorities with -P1-2', () => {
      expect(parse('-P1-2').filters).toEqual([filter('priority', ['P1', 'P2'], true)]);
    });

    it('keeps P9 and P0 as text', () => {
      expect(parse('P9 P0 P1-9')).toMatchObject({ text: [word('P9'), word('P0'), word('P1-9')], filters: [] });
    });

    it('reads an UPPER-CASE status or resolution word as a filter', () => {
      expect(parse('NEW FIXED DUP IN_PROGRESS').filters).toEqual([
        filter('status', ['CONFIRMED']),
        filter('resolution', ['FIXED']),
        filter('resolution', ['DUPLICATE']),
        filter('status', ['IN_PROGRESS']),
      ]);
    });

    it('reads UPPER-CASE OPEN, CLOSED and ALL as status sets', () => {
      expect(parse('OPEN').filters).toEqual([filter('status', [...OPEN_STATUSES])]);
      expect(parse('CLOSED').filters).toEqual([filter('status', [...CLOSED_STATUSES])]);
      expect(parse('ALL')).toMatchObject({ filters: [filter('status', [...BUG_STATUSES])], hasStatusFilter: true });
    });

    it('reads an UPPER-CASE comma list of one kind as one filter', () => {
      expect(parse('FIXED,WONTFIX NEW,ASSIGNED').filters).toEqual([
        filter('resolution', ['FIXED', 'WONTFIX']),
        filter('status', ['CONFIRMED', 'IN_PROGRESS']),
      ]);
    });

    it('keeps a mixed status/resolution list as text', () => {
      expect(parse('FIXED,NEW')).toMatchObject({ filters: [], text: [word('FIXED'), word('NEW')] });
    });

    it('reads -word and +word as a status or resolution filter in any case', () => {
      expect(parse('-wontfix -dup +fixed -closed +new').filters).toEqual([
        filter('resolution', ['WONTFIX'], true),
        filter('resolution', ['DUPLICATE'], true),
        filter('resolution', ['FIXED']),
        filter('status', [...CLOSED_STATUSES], true),
        filter('status', ['CONFIRMED']),
      ]);
    });

    it('keeps lower-case and capitalised status/resolution words as English text', () => {
      const q = parse('fixed new open all closed dup Fixed Open');
      expect(q.filters).toEqual([]);
      expect(q.hasStatusFilter).toBe(false);
      expect(q.text.map((t) => t.text)).toEqual(['fixed', 'new', 'open', 'all', 'closed', 'dup', 'Fixed', 'Open']);
    });

    it('searches a quoted status word as text', () => {
      expect(parse('"FIXED"')).toMatchObject({ text: [phrase('FIXED')], filters: [] });
    });

    it('has no severity shorthand, so severity names in a sentence stay text', () => {
      const q = parse('major regression after critical update BLOCKER -minor');
      expect(q.filters).toEqual([]);
      expect(q.text).toEqual([
        word('major'),
        word('regression'),
        word('after'),
        word('critical'),
        word('update'),
        word('BLOCKER'),
        word('minor', true),
      ]);
    });

    it('keeps plus-prefixed ordinary words as text', () => {
      expect(parse('+1 C++').text).toEqual([word('+1'), word('C++')]);
    });
  });

  describe('which bugs by default (hasStatusFilter)', () => {
    it('is false for plain text and ordinary filters', () => {
      expect(parse('kernel comp:gcc @alice P1 sev:major').hasStatusFilter).toBe(false);
    });

    it('is true for is:open and is:closed, in either polarity', () => {
      expect(parse('is:closed').hasStatusFilter).toBe(true);
      expect(parse('-is:open').hasStatusFilter).toBe(true);
      expect(parse('is:private').hasStatusFilter).toBe(false);
    });

    it('is true for a required resolution, because resolved bugs are never open', () => {
      expect(parse('FIXED').hasStatusFilter).toBe(true);
      expect(parse('res:wontfix').hasStatusFilter).toBe(true);
    });

    it('is false for an excluded resolution, which implies nothing about status', () => {
      expect(parse('-wontfix kernel')).toMatchObject({
        filters: [filter('resolution', ['WONTFIX'], true)],
        hasStatusFilter: false,
      });
    });

    it('is true when a bug is named by number or alias, so closed bugs are found', () => {
      expect(parse('#123').hasStatusFilter).toBe(true);
      expect(parse('alias:CVE-2024-1').hasStatusFilter).toBe(true);
      expect(parse('-#123').hasStatusFilter).toBe(false);
    });
  });

  describe('limits', () => {
    it('keeps 30 text terms and reports the rest once', () => {
      const words = Array.from({ length: 35 }, (_, i) => `w${i}`);
      const q = parse(words.join(' '));
      expect(q.text).toHaveLength(QS_LIMITS.maxTextTerms);
      expect(q.text.at(-1)).toEqual(word('w29'));
      expect(q.errors).toEqual([{ token: 'w30', code: 'too_many_terms', message: expect.any(String) }]);
    });

    it('keeps 50 values in a filter and reports the rest', () => {
      const values = Array.from({ length: 60 }, (_, i) => `c${i}`);
      const q = parse(`comp:${values.join(',')}`);
      expect(q.filters[0].values).toEqual(values.slice(0, 50));
      expect(errorCodes(q)).toEqual(['too_many_values']);
    });

    it('caps the merged id filter at 50 ids too and reports it once', () => {
      const q = parse(Array.from({ length: 55 }, (_, i) => `#${i + 1}`).join(' '));
      expect(q.filters).toHaveLength(1);
      expect(q.filters[0].values).toHaveLength(50);
      expect(q.errors).toEqual([{ token: '#51', code: 'too_many_values', message: expect.any(String) }]);
    });

    it('refuses input longer than 1000 characters with one error and an empty result', () => {
      const q = parse(`status:NEW ${'x'.repeat(1000)}`);
      expect(q).toEqual({
        text: [],
        filters: [],
        hasStatusFilter: false,
        errors: [{ token: expect.any(String), code: 'input_too_long', message: expect.any(String) }],
      });
    });

    it('accepts input of exactly 1000 characters', () => {
      expect(parse('x'.repeat(1000)).errors).toEqual([]);
    });
  });

  describe('robustness', () => {
    // A fixed seed keeps a failure reproducible; print the input when it fails.
    function mulberry32(seed: number): () => number {
      let a = seed;
      return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    const pieces = [
      ...Array.from('-:@#",+()[]，。：、！？“”‘’\u3000 \t\n\\*%$^{}<>|'),
      'status:',
      'st:',
      'is:',
      'id:',
      'pri:',
      'P',
      '1',
      '5',
      '9',
      '0',
      'NEW',
      'ALL',
      'wontfix',
      'dup',
      'major',
      '内核',
      '崩溃',
      'é',
      '😀',
      '\ud800', // lone surrogates must not break NFKC or the regexes
      '\udfff',
      '\u0000',
      '\u200b',
      'Ｐ',
      '：',
      'ﬁ',
    ];
    const validValues: Partial<Record<QsField, readonly string[]>> = {
      status: BUG_STATUSES,
      resolution: BUG_RESOLUTIONS,
      severity: BUG_SEVERITIES,
      priority: BUG_PRIORITIES,
      is: QS_IS_VALUES,
    };

    it('parses 2,000 random strings without throwing and keeps its invariants', () => {
      const random = mulberry32(20240601);
      for (let i = 0; i < 2000; i++) {
        const length = Math.floor(random() * 40);
        let input = '';
        for (let j = 0; j < length; j++) {
          input +=
            random() < 0.15
              ? String.fromCharCode(Math.floor(random() * 0x10000))
              : pieces[Math.floor(random() * pieces.length)];
        }
        let q: QuickSearch;
        try {
          q = parse(input);
        } catch (e) {
          throw new Error(`threw on ${JSON.stringify(input)}: ${String(e)}`);
        }
        expect(q.text.length).toBeLessThanOrEqual(QS_LIMITS.maxTextTerms);
        for (const t of q.text) expect(t.text).toMatch(/[\p{L}\p{N}]/u);
        for (const f of q.filters) {
          expect(f.values.length).toBeGreaterThan(0);
          expect(f.values.length).toBeLessThanOrEqual(QS_LIMITS.maxValuesPerFilter);
          for (const v of f.values) expect(v).not.toBe('');
          const allowed = validValues[f.field];
          if (allowed) for (const v of f.values) expect(allowed).toContain(v);
          if (f.field === 'id') for (const v of f.values) expect(v).toMatch(/^[1-9]\d*$/);
        }
        expect(q.filters.filter((f) => f.field === 'id' && !f.negated).length).toBeLessThanOrEqual(1);
        if (q.filters.some((f) => f.field === 'status')) expect(q.hasStatusFilter).toBe(true);
      }
    });

    it('never throws on awkward fixed inputs', () => {
      const awkward = ['"', '“', '”', '-', '--', ':', '@', '#', '-"', '"-', 'status:"', '-status:', ':::', '@,', '#-1'];
      for (const input of [...awkward, awkward.join(''), awkward.join(' '), '\ud800', 'P1-', 'P-1', ',,,']) {
        expect(() => parse(input)).not.toThrow();
      }
    });

    it('tolerates a non-string from untyped callers', () => {
      expect(parse(undefined as unknown as string)).toEqual({
        text: [],
        filters: [],
        hasStatusFilter: false,
        errors: [],
      });
    });
  });
});
