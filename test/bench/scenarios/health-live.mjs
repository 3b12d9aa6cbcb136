/** Liveness: the cheapest route, so it shows the framework's own cost per request. */
export default {
  name: 'health-live',
  setup() {
    return { method: 'GET', path: '/api/health/live' };
  },
};
