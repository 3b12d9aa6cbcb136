import type { governanceEn } from './governance.en';

/** Simplified Chinese strings of the governance area: exactly the keys of governance.en.ts. */
export const governanceZhCN: Record<keyof typeof governanceEn, string> = {};
