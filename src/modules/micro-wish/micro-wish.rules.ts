import type { Move } from '../../common/state-machine';
import { MicroWishStatus } from './micro-wish.entity';

const W = MicroWishStatus;

/** THE transition table of a micro-wish (微心愿): published, claimed by one claimant, fulfilled, confirmed; cancelled before fulfilment. */
export const WISH_MOVES = {
  claim: { from: [W.PUBLISHED], to: W.CLAIMED },
  fulfil: { from: [W.CLAIMED], to: W.FULFILLED },
  confirm: { from: [W.FULFILLED], to: W.CONFIRMED },
  cancel: { from: [W.PUBLISHED, W.CLAIMED], to: W.CANCELLED },
} satisfies Record<string, Move<MicroWishStatus>>;
