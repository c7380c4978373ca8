import { UnitKind } from '../unit/unit.entity';
import { AllianceModel, AllianceRole } from './alliance.entity';
import { AreaLevel } from '../area/area.entity';
import { PartyStatus, type Person } from '../person/person.entity';

/** The "3" of "1+3+N" are specific kinds of unit; the other roles take any kind. */
export const ROLE_REQUIRES_KIND: Partial<Record<AllianceRole, UnitKind>> = {
  [AllianceRole.POLICE]: UnitKind.POLICE_STATION,
  [AllianceRole.OWNERS_COMMITTEE]: UnitKind.OWNERS_COMMITTEE,
  [AllianceRole.PROPERTY]: UnitKind.PROPERTY_COMPANY,
};

/** Community alliances sit on a community; a big party committee (大党委) may sit on a street. */
export const MODEL_AREA_LEVELS: Record<AllianceModel, readonly AreaLevel[]> = {
  [AllianceModel.ONE_THREE_N]: [AreaLevel.COMMUNITY],
  [AllianceModel.ONE_N_X]: [AreaLevel.COMMUNITY],
  [AllianceModel.BIG_PARTY_COMMITTEE]: [AreaLevel.COMMUNITY, AreaLevel.STREET],
};

/** The "1": an alliance has one CORE seat, the leading party organisation's unit. */
export const SEAT_HELD_ONCE = AllianceRole.CORE;

/**
 * The unit a person holds part-time alliance seats for: the one they work at, their employer. A
 * retired member (退休党员) works there no more, though the employer they retired from may stay on
 * record: they belong to their community's organisations (as they no longer report, 双报到, through
 * it) and represent the unit in no alliance. Null: no unit.
 */
export function unitRepresentedBy(person: Pick<Person, 'partyStatus' | 'employerUnit'>): number | null {
  if (person.partyStatus === PartyStatus.RETIRED) return null;
  return person.employerUnit?.id ?? null;
}
