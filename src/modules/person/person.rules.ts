import { badInput } from '../../common/errors';
import { Gender, PartyStatus } from './person.entity';

/** What a registration must satisfy, whatever the mutation that produced it. */
export interface RegistrationFacts {
  partyStatus?: PartyStatus | null;
  joinedPartyOn?: string | null;
  employerUnitId?: number | null;
  idNumber?: string | null;
  birthYear?: number | null;
  gender?: Gender | null;
}

export function assertConsistentRegistration(facts: RegistrationFacts): void {
  if (facts.partyStatus == null && facts.joinedPartyOn) throw badInput('input.joinedPartyOn', 'only party members have a party joining date');
  if (facts.partyStatus === PartyStatus.IN_SERVICE && facts.employerUnitId == null) {
    throw badInput('input.employerUnitId', 'an in-service party member (在职党员) needs an employer unit');
  }
  if (facts.idNumber) {
    const birthYear = Number(facts.idNumber.slice(6, 10));
    if (facts.birthYear != null && facts.birthYear !== birthYear) throw badInput('input.birthYear', 'does not match the ID number');
    const idGender = Number(facts.idNumber[16]) % 2 === 1 ? Gender.MALE : Gender.FEMALE;
    if (facts.gender != null && facts.gender !== idGender) throw badInput('input.gender', 'does not match the ID number');
  }
}
