import { byForeignKey } from '../../context/loaders';
import { MicroWish } from './micro-wish.entity';

export const microWishesOfCommunity = byForeignKey('Community.microWishes', MicroWish, 'community');
export const microWishesOfUnit = byForeignKey('Unit.claimedMicroWishes', MicroWish, 'claimantUnit');
export const microWishesOfPerson = byForeignKey('Person.claimedMicroWishes', MicroWish, 'claimantPerson');
