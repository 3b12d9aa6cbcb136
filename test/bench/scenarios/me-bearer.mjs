/** The signed-in user's profile via a personal API token: token lookup + one user read. */
export default {
  name: 'me-bearer',
  async setup(ctx) {
    const { token } = await ctx.defaultUser();
    return { method: 'GET', path: '/api/v1/me', headers: { authorization: `Bearer ${token}` } };
  },
};
