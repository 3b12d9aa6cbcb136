import { seedSigs } from '../lib/seed-sigs.mjs';

/** The first page of the SIG directory with member and package counts, on the same data set. */
export default {
  name: 'sig-directory',
  async setup(ctx) {
    await seedSigs(ctx.db);
    return { method: 'GET', path: '/api/v1/sigs?limit=50' };
  },
};
