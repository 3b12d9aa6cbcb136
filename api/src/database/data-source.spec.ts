import { dataSourceOptions } from './data-source';

describe('dataSourceOptions', () => {
  const saved = { max: process.env.DB_POOL_MAX, options: process.env.DB_STARTUP_OPTIONS };
  afterEach(() => {
    process.env.DB_POOL_MAX = saved.max;
    process.env.DB_STARTUP_OPTIONS = saved.options;
    if (saved.max === undefined) delete process.env.DB_POOL_MAX;
    if (saved.options === undefined) delete process.env.DB_STARTUP_OPTIONS;
  });
  const extra = () =>
    (dataSourceOptions('postgres://127.0.0.1/x') as { extra: { max: number; options?: string } }).extra;

  it('starts connections without JIT or parallel workers, whatever the pool size', () => {
    delete process.env.DB_POOL_MAX;
    delete process.env.DB_STARTUP_OPTIONS;
    const options = '-c jit=off -c max_parallel_workers_per_gather=0';
    expect(extra()).toEqual({ max: 20, options });
    process.env.DB_POOL_MAX = '7';
    expect(extra()).toEqual({ max: 7, options });
  });

  it('sends no options when they are cleared (the embedded PGlite takes none)', () => {
    process.env.DB_STARTUP_OPTIONS = '';
    expect(extra().options).toBeUndefined();
    process.env.DB_STARTUP_OPTIONS = '-c statement_timeout=5s';
    expect(extra().options).toBe('-c statement_timeout=5s');
  });
});
