// /metalink for dnf with 500 fresh mirrors registered: the whole XML document per request.
import { seedBenchMirrors } from '../lib/mirrors-seed.mjs';

export default {
  name: 'mirrors-metalink',
  async setup(ctx) {
    await seedBenchMirrors(ctx.db);
    return {
      requests: ['CN', 'DE', 'US', 'BR'].map((c) => ({
        method: 'GET',
        path: `/metalink?repo=BaseOS&arch=x86_64&release=9&country=${c}`,
      })),
    };
  },
};
