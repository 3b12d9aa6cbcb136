import { drawMirrors, isMasterBase, rankMirrors, type Pool, type ServingMirror } from './mirror-directory.service';

const mirror = (id: number, country: string, continent: ServingMirror['continent'], weight = 1): ServingMirror => ({
  id,
  name: `m${id}`,
  country,
  continent,
  bandwidthMbps: 100,
  score: 1,
  base: `http://m${id}.test`,
  protocol: 'http',
  bucket: 'up-to-date',
  lagSeconds: 0,
  lastSyncAt: null,
  content: ['isos', 'repos'],
  missing: new Set(),
  freshRepos: new Set(),
  weight,
});

const poolOf = (list: ServingMirror[]): Pool => {
  const cumulative = new Float64Array(list.length);
  let total = 0;
  list.forEach((m, i) => (cumulative[i] = total += m.weight));
  return { list, cumulative, total };
};

describe('ranking mirrors for a client', () => {
  const fleet = [
    mirror(1, 'DE', 'EU'),
    mirror(2, 'CN', 'AS'),
    mirror(3, 'JP', 'AS'),
    mirror(4, 'US', 'NA'),
    mirror(5, 'CN', 'AS'),
  ];

  it('puts the client’s country first, then its continent, then the rest', () => {
    const ranked = rankMirrors(fleet, 'CN').map((m) => m.id);
    expect(ranked.slice(0, 2).sort()).toEqual([2, 5]);
    expect(ranked[2]).toBe(3);
    expect(ranked.slice(3).sort()).toEqual([1, 4]);
    expect(rankMirrors(fleet, 'KR').map((m) => m.id)[0]).not.toBe(1);
  });

  it('draws heavier mirrors more often, in proportion to their weight', () => {
    const list = [
      mirror(1, 'CN', 'AS', 1),
      mirror(2, 'CN', 'AS', 3),
      ...Array.from({ length: 10 }, (_, i) => mirror(10 + i, 'CN', 'AS', 0.6)),
    ];
    const firsts = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const [first] = drawMirrors([poolOf(list)], 3);
      firsts.set(first.id, (firsts.get(first.id) ?? 0) + 1);
    }
    // weights 1 : 3 out of 10 in total
    expect((firsts.get(2) ?? 0) / 20_000).toBeCloseTo(0.3, 1);
    expect((firsts.get(1) ?? 0) / 20_000).toBeCloseTo(0.1, 1);
  });

  it('never draws a mirror twice and moves on to the next tier when one runs out', () => {
    const local = [mirror(1, 'CN', 'AS'), mirror(2, 'CN', 'AS')];
    const rest = Array.from({ length: 50 }, (_, i) => mirror(100 + i, 'DE', 'EU'));
    const drawn = drawMirrors([poolOf(local), poolOf([]), poolOf(rest)], 5).map((m) => m.id);
    expect(drawn).toHaveLength(5);
    expect(new Set(drawn).size).toBe(5);
    expect(drawn.slice(0, 2).sort()).toEqual([1, 2]);
  });
});

describe('isMasterBase', () => {
  it('recognises the master registered as a mirror, whatever the trailing slash or host case', () => {
    const master = 'https://mirrors.opencloudos.tech/opencloudos';
    expect(isMasterBase('https://mirrors.opencloudos.tech/opencloudos', master)).toBe(true);
    expect(isMasterBase('https://Mirrors.OpenCloudOS.tech/opencloudos/', master)).toBe(true);
    expect(isMasterBase('http://mirrors.opencloudos.tech/opencloudos', master)).toBe(false);
    expect(isMasterBase('https://mirrors.opencloudos.tech/other', master)).toBe(false);
    expect(isMasterBase('https://mirror.example.cn/opencloudos', master)).toBe(false);
  });
});
