import type { Me } from '$lib/api/types';
import type { Lang } from '$lib/i18n';

declare global {
  namespace App {
    interface Locals {
      user: Me | null;
      csrfToken: string | null;
      lang: Lang;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
