import { UnitKind } from '../unit/unit.entity';
import { AllianceModel, AllianceRole } from './alliance.entity';
import { AreaLevel } from '../area/area.entity';

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
