/** `count` distinct, valid package names; the same list every time. */
export declare function packageNames(count: number): string[];
/** A deterministic PRNG in [0, 1) from a seed. */
export declare function prng(seed: number): () => number;
export declare const CORE_PACKAGES: string[];
