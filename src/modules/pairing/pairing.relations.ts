import { todayInChina } from '../../common/dates';
import type { Relation } from '../../context/loaders';
import { Pairing } from './pairing.entity';
import { activeOn } from './pairing.service';

export const pairingsOfCommunity: Relation<Pairing> = { name: 'Community.pairings', entity: Pairing, whereFor: (id) => ({ community: id }) };
export const pairingsOfUnit: Relation<Pairing> = { name: 'Unit.pairings', entity: Pairing, whereFor: (id) => ({ unit: id }) };
/** Pairings in force today; "today" is read when the loader is built (once per request). */
export const activePairingsOfCommunity = (): Relation<Pairing> => {
  const today = todayInChina();
  return { name: `Community.activePairings:${today}`, entity: Pairing, whereFor: (id) => ({ community: id, ...(activeOn(today) as object) }) };
};
export const activePairingsOfUnit = (): Relation<Pairing> => {
  const today = todayInChina();
  return { name: `Unit.activePairings:${today}`, entity: Pairing, whereFor: (id) => ({ unit: id, ...(activeOn(today) as object) }) };
};
