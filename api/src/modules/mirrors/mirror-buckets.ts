import type { Bucket } from './mirror.entity';

const HOUR = 3600;
const LIMITS: [number, Bucket][] = [
  [0, 'up-to-date'],
  [HOUR, '1h'],
  [6 * HOUR, '6h'],
  [24 * HOUR, '1d'],
  [48 * HOUR, '2d'],
  [7 * 24 * HOUR, '1w'],
];

/** Launchpad-like: how far behind the master a reachable mirror is; unknown without a signal. */
export function bucketFor(reachable: boolean, lagSeconds: number | null): Bucket {
  if (!reachable) return 'unreachable';
  if (lagSeconds === null) return 'unknown';
  for (const [limit, bucket] of LIMITS) if (lagSeconds <= limit) return bucket;
  return 'older';
}

export interface ScoreInput {
  /** Mean delay behind the master over the window, in hours (successful probes only). */
  delayHours: number | null;
  /** Mean and population standard deviation of probe durations, in seconds. */
  durationMean: number;
  durationStddev: number;
  /** Share of probes that succeeded, 0–1. */
  completion: number;
}

/** Arch Linux's mirror score: (delay + duration mean + duration spread) / completion. Lower is better. */
export function archScore(s: ScoreInput): number | null {
  if (s.completion <= 0 || s.delayHours === null) return null;
  return Math.round(((s.delayHours + s.durationMean + s.durationStddev) / s.completion) * 1000) / 1000;
}
