import type { downloadsEn } from './downloads.en';

/** Simplified Chinese strings of the downloads area: exactly the keys of downloads.en.ts. */
export const downloadsZhCN: Record<keyof typeof downloadsEn, string> = {};
