/** English strings of the governance area, spread into en.ts (keys are checked there). */
export const governanceEn = {} satisfies Record<string, string>;
