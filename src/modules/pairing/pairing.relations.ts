import { byForeignKey } from '../../context/loaders';
import { Pairing } from './pairing.entity';
import { activeOn } from './pairing.service';

export const pairingsOfCommunity = byForeignKey('Community.pairings', Pairing, 'community');
export const pairingsOfUnit = byForeignKey('Unit.pairings', Pairing, 'unit');
/**
 * Pairings in force on `day`: the request's today (todayInChina(ctx.now())), as pairings(filter:
 * { activeOn }) is asked it, not the wall clock. The loader name carries the day.
 */
export const activePairingsOfCommunity = (day: string) => byForeignKey(`Community.activePairings:${day}`, Pairing, 'community', activeOn(day));
export const activePairingsOfUnit = (day: string) => byForeignKey(`Unit.activePairings:${day}`, Pairing, 'unit', activeOn(day));
