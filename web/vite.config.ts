import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // In development the API runs on its own port; pages call it server-side via API_INTERNAL_URL,
    // and links the browser follows directly (/api/v1/auth/gitee) are proxied here.
    proxy: {
      '/api': process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
