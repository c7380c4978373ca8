import type { Move } from '../../common/state-machine';
import { WhistleResponseStatus } from './whistle.entity';

/** Default hours a called department has to report (报到) and to feed back (反馈). */
export const DEFAULT_REPORT_HOURS = 24;
export const DEFAULT_FEEDBACK_HOURS = 72;
/** Who may blow a whistle: a community, or a street ("街乡吹哨"). */
export const WHISTLE_BLOWER_TYPES = ['Community', 'Street'];
export const MAX_RECIPIENTS = 20;

const R = WhistleResponseStatus;

/**
 * THE transition table of a called department's answer: 报到 (report), then 反馈 (feedback), each
 * once. Any other step is ILLEGAL_TRANSITION; one racing another on the same row is CONFLICT
 * (whistle.service.ts, `answer`).
 */
export const RESPONSE_MOVES = {
  report: { from: [R.AWAITING_REPORT], to: R.REPORTED },
  answer: { from: [R.REPORTED], to: R.ANSWERED },
} satisfies Record<string, Move<WhistleResponseStatus>>;
