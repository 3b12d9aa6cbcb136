/**
 * The governance counts: pure functions from ballots and frozen rules to a result anyone can
 * recompute. No database, clock or randomness in here, so the same inputs always give the same
 * result and the same tally sheet, in the API, in a worker, or on a voter's laptop.
 */
export { TallyInputError } from './tally-input-error';
export { TIE_BREAK_RULE, tieBreakKey } from './tie-break';
export {
  tallyMotion,
  motionSettled,
  type AbstentionPolicy,
  type MotionCount,
  type MotionResult,
  type MotionRules,
  type Threshold,
} from './motion';
export { tallySchulze, type RankedBallot, type SchulzeInput, type SchulzeResult } from './schulze';
export { tallyApproval, tallyPlurality, type ApprovalInput, type CountResult, type PluralityInput } from './approval';
export { parseDebianTally } from './debian-tally';
export { renderTallySheet, ballotVoteString, type TallySheetBallot, type TallySheetMeta } from './tally-sheet';
