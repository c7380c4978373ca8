import { todayInChina } from '../../common/dates';
import { byForeignKey } from '../../context/loaders';
import { Pairing } from './pairing.entity';
import { activeOn } from './pairing.service';

export const pairingsOfCommunity = byForeignKey('Community.pairings', Pairing, 'community');
export const pairingsOfUnit = byForeignKey('Unit.pairings', Pairing, 'unit');
/** Pairings in force today; "today" is read when asked (the loader name carries it). */
export const activePairingsOfCommunity = () => byForeignKey(`Community.activePairings:${todayInChina()}`, Pairing, 'community', activeOn(todayInChina()));
export const activePairingsOfUnit = () => byForeignKey(`Unit.activePairings:${todayInChina()}`, Pairing, 'unit', activeOn(todayInChina()));
