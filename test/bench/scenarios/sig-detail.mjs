import { seedSigs } from '../lib/seed-sigs.mjs';

/** One SIG's page data (leads, members by role, counts, activity) with 100 SIGs / 2,000 packages / 10,000 users. */
export default {
  name: 'sig-detail',
  async setup(ctx) {
    await seedSigs(ctx.db);
    return { method: 'GET', path: '/api/v1/sigs/sig-042' };
  },
};
