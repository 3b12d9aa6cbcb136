/** English strings of the downloads area, spread into en.ts (keys are checked there). */
export const downloadsEn = {} satisfies Record<string, string>;
