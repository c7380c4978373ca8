import { GROUPS } from '../../analytics/demand/cells';
import { ResidentGroup } from '../../src/common/resident-group';
import { UNKNOWN_GROUP } from '../../analytics/sources/demand-tables';

// DemandRankingRow.residentGroup is the enum DemandResidentGroup (ResidentGroup and UNKNOWN): a
// group name analytics ranks that the enum lacks would fail to serialise, erroring the whole ranking.
test('every resident group a ranking cell can hold is a value of DemandResidentGroup', () => {
  const values = new Set<string>([...Object.values(ResidentGroup), UNKNOWN_GROUP]);
  expect(GROUPS.map(([, name]) => name).filter((name) => !values.has(name))).toEqual([]);
});
