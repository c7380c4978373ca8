import { toGlobalId } from '../../src/common/global-id';
import {
  buildTree,
  buildUnits,
  buildWorld,
  createPartyOrganization,
  createPerson,
  dbId,
  expectError,
  expectNothingWritten,
  expectRacedDuplicatesAnswerAsSequential,
  idCheckChar,
  ok,
  rawRow,
  residentId,
  rowCounts,
  walkPages,
  withBadChecksum,
  type PersonInput,
  type World,
} from '../helpers/fixtures';
import { createTestApp, type GraphQLResult, type TestApp } from '../helpers/test-app';
import { Role } from '../../src/modules/identity/role';
import { accountViewer, areaPath } from '../helpers/access-fixtures';
import { race } from '../helpers/lock-race';

let app: TestApp;
let w: World;
let branchId: string;

beforeAll(async () => {
  app = await createTestApp();
  w = await buildWorld(app);
  branchId = await createPartyOrganization(app, { name: '幸福里第一网格党支部', kind: 'BRANCH', areaId: w.gridId });
});
afterAll(async () => {
  await app?.close();
});

const PERSON = `id name gender birthYear phone idNumber partyStatus isPartyMember joinedPartyOn reportedOn
  employerUnit { id name } residenceCommunity { id name } organization { id name }`;
const CREATE = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { ${PERSON} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { ${PERSON} } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Person { ${PERSON} } } }`;
const PEOPLE = `query($filter: PersonFilter, $first: Int, $after: String) {
  people(filter: $filter, first: $first, after: $after) { totalCount edges { node { id name phone idNumber } } pageInfo { hasNextPage endCursor } }
}`;
const PARTY_MEMBERS = `query($filter: PersonFilter, $first: Int) { partyMembers(filter: $filter, first: $first) { totalCount edges { node { id name } } } }`;

/** What the API shows of a resident ID: region prefix (3) and last four, the rest starred. */
function maskedId(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** A valid ID number whose check character is X. */
function residentIdEndingInX(birthDate: string, gender: 'MALE' | 'FEMALE'): string {
  for (let i = 0; i < 500; i += 1) {
    const id = residentId(birthDate, gender);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character found');
}

/** Registers someone, then records their ID number through updatePerson (see person.test.ts notes). */
async function personWithIdNumber(input: PersonInput, idNumber: string): Promise<string> {
  const id = await createPerson(app, input);
  await ok(app, UPDATE, { id, input: { idNumber } });
  return id;
}

describe('the resident ID helper', () => {
  test('computes the ISO 7064 MOD 11-2 check character', () => {
    // The GB 11643-1999 specimen number.
    expect(idCheckChar('11010519491231002')).toBe('X');
    const id = residentId('19900101', 'FEMALE');
    expect(id).toMatch(/^37010219900101\d\d[02468][\dX]$/);
    expect(withBadChecksum(id)).not.toBe(id);
  });
});

describe('createPerson', () => {
  test('a party member: returns the given fields, phone and ID number masked, raw values stored', async () => {
    const idNumber = residentId('19850315', 'MALE');
    const result = await app.execute(CREATE, {
      input: {
        name: '李国强',
        gender: 'MALE',
        birthYear: 1985,
        phone: '13812345678',
        idNumber,
        partyStatus: 'IN_SERVICE',
        joinedPartyOn: '2008-07-01',
        employerUnitId: w.units.hospitalId,
        residenceCommunityId: w.communityId,
        organizationId: branchId,
      },
    });
    expect(JSON.stringify(result)).not.toContain(idNumber);
    expect(JSON.stringify(result)).not.toContain('13812345678');
    expect(result.errors).toBeUndefined();
    const person = result.data.createPerson;
    expect(person).toEqual({
      id: expect.any(String),
      name: '李国强',
      gender: 'MALE',
      birthYear: 1985,
      phone: '138****5678',
      idNumber: maskedId(idNumber),
      partyStatus: 'IN_SERVICE',
      isPartyMember: true,
      joinedPartyOn: '2008-07-01',
      reportedOn: null, // reporting to the community is reportMember's, not registration's
      employerUnit: { id: w.units.hospitalId, name: '市第一人民医院' },
      residenceCommunity: { id: w.communityId, name: '幸福里社区' },
      organization: { id: branchId, name: '幸福里第一网格党支部' },
    });
    expect(await rawRow(app, 'person', person.id)).toMatchObject({ phone: '13812345678', id_number: idNumber, employer_unit_id: dbId(w.units.hospitalId) });
  });

  test('two people with different ID numbers can both register', async () => {
    const first = await app.execute(CREATE, { input: { name: '周芳', gender: 'FEMALE', idNumber: residentId('19920808', 'FEMALE') } });
    expect(first.errors).toBeUndefined();
    const second = await app.execute(CREATE, { input: { name: '吴磊', gender: 'MALE', idNumber: residentId('19770101', 'MALE') } });
    expect(second.errors).toBeUndefined();
  });

  test('non-party staff: only a name; optional fields null, not a party member', async () => {
    const result = await ok(app, CREATE, { input: { name: '赵敏' } });
    expect(result.createPerson).toEqual({
      id: expect.any(String),
      name: '赵敏',
      gender: null,
      birthYear: null,
      phone: null,
      idNumber: null,
      partyStatus: null,
      isPartyMember: false,
      joinedPartyOn: null,
      reportedOn: null,
      employerUnit: null,
      residenceCommunity: null,
      organization: null,
    });
  });

  test('a landline is masked too', async () => {
    const result = await ok(app, CREATE, { input: { name: '钱进', phone: '0531-86661234' } });
    expect(result.createPerson.phone).toBe('0531-****1234');
    expect((await rawRow(app, 'person', result.createPerson.id))!.phone).toBe('0531-86661234');
  });

  test('retired and mobile members need no employer', async () => {
    const retired = await ok(app, CREATE, { input: { name: '孙老伯', partyStatus: 'RETIRED', joinedPartyOn: '1975-07-01' } });
    expect(retired.createPerson).toMatchObject({ partyStatus: 'RETIRED', isPartyMember: true, employerUnit: null });
    const mobile = await ok(app, CREATE, { input: { name: '外出务工党员', partyStatus: 'MOBILE' } });
    expect(mobile.createPerson).toMatchObject({ partyStatus: 'MOBILE', isPartyMember: true });
  });

  test('can be read back through node(id:), masked', async () => {
    const idNumber = residentIdEndingInX('19880520', 'FEMALE');
    const id = await personWithIdNumber({ name: '郑丽', gender: 'FEMALE', birthYear: 1988, phone: '15011112222', residenceCommunityId: w.communityId }, idNumber);
    const result = await app.execute(NODE, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data.node).toMatchObject({ __typename: 'Person', id, name: '郑丽', gender: 'FEMALE', birthYear: 1988, phone: '150****2222', idNumber: maskedId(idNumber) });
    expect(result.data.node.idNumber).toMatch(/^370\*{11}\d{3}X$/);
    expect(JSON.stringify(result)).not.toContain(idNumber);
    expect(JSON.stringify(result)).not.toContain('15011112222');
    expect(JSON.stringify(result)).not.toContain('19880520');
    expect(await rawRow(app, 'person', id)).toMatchObject({ id_number: idNumber, phone: '15011112222' });
  });

  describe('registration rules (BAD_USER_INPUT, nothing written)', () => {
    const cases: [string, () => PersonInput, string][] = [
      ['an in-service member without employerUnitId', () => ({ name: '在职党员', partyStatus: 'IN_SERVICE' }), 'input.employerUnitId'],
      ['joinedPartyOn without partyStatus', () => ({ name: '群众', joinedPartyOn: '2010-07-01' }), 'input.joinedPartyOn'],
      ['a birthYear that does not match the ID number', () => ({ name: '出生年不符', idNumber: residentId('19850315', 'MALE'), birthYear: 1986 }), 'input.birthYear'],
      ['a gender that does not match the ID number (odd 17th digit = male)', () => ({ name: '性别不符', idNumber: residentId('19850315', 'MALE'), gender: 'FEMALE' }), 'input.gender'],
      ['a gender that does not match the ID number (even 17th digit = female)', () => ({ name: '性别不符', idNumber: residentId('19900101', 'FEMALE'), gender: 'MALE' }), 'input.gender'],
    ];
    test.each(cases)('%s', async (_label, input, field) => {
      const given = input();
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: given }));
      expectError(result, 'BAD_USER_INPUT', field);
      if (given.idNumber) expect(JSON.stringify(result)).not.toContain(given.idNumber);
    });
  });

  describe('rejects bad input and writes nothing', () => {
    const cases: [string, () => PersonInput, string, string][] = [
      ['an empty name', () => ({ name: '' }), 'BAD_USER_INPUT', 'name'],
      ['a name of 61 characters', () => ({ name: '名'.repeat(61) }), 'BAD_USER_INPUT', 'name'],
      ['an invalid phone "12345"', () => ({ name: '张三', phone: '12345' }), 'BAD_USER_INPUT', 'phone'],
      ['an ID number with a bad checksum', () => ({ name: '张三', idNumber: withBadChecksum(residentId('19850315', 'MALE')) }), 'BAD_USER_INPUT', 'idNumber'],
      ['an ID number of 17 characters', () => ({ name: '张三', idNumber: residentId('19850315', 'MALE').slice(0, 17) }), 'BAD_USER_INPUT', 'idNumber'],
      ['an ID number with an impossible birth date', () => ({ name: '张三', idNumber: ((b) => `${b}${idCheckChar(b)}`)('37010219850230123') }), 'BAD_USER_INPUT', 'idNumber'],
      ['a birthYear of 1899', () => ({ name: '张三', birthYear: 1899 }), 'BAD_USER_INPUT', 'birthYear'],
      ['a Grid id as residenceCommunityId', () => ({ name: '张三', residenceCommunityId: w.gridId }), 'BAD_USER_INPUT', 'input.residenceCommunityId'],
      ['a Unit id as residenceCommunityId', () => ({ name: '张三', residenceCommunityId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.residenceCommunityId'],
      ['a malformed residenceCommunityId', () => ({ name: '张三', residenceCommunityId: '社区' }), 'BAD_USER_INPUT', 'input.residenceCommunityId'],
      ['a missing community', () => ({ name: '张三', residenceCommunityId: toGlobalId('Community', 999999) }), 'NOT_FOUND', 'input.residenceCommunityId'],
      ['a Community id as employerUnitId', () => ({ name: '张三', employerUnitId: w.communityId }), 'BAD_USER_INPUT', 'input.employerUnitId'],
      ['a missing employer', () => ({ name: '张三', partyStatus: 'IN_SERVICE', employerUnitId: toGlobalId('Unit', 999999) }), 'NOT_FOUND', 'input.employerUnitId'],
      ['a Unit id as organizationId', () => ({ name: '张三', organizationId: w.units.hospitalId }), 'BAD_USER_INPUT', 'input.organizationId'],
      ['a missing organisation', () => ({ name: '张三', organizationId: toGlobalId('PartyOrganization', 999999) }), 'NOT_FOUND', 'input.organizationId'],
    ];
    test.each(cases)('%s', async (_label, input, code, field) => {
      const given = input();
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: given }));
      expectError(result, code, field);
      if (given.idNumber) expect(JSON.stringify(result)).not.toContain(given.idNumber);
    });
  });

  test('the same ID number twice gives CONFLICT, and the response never contains the number', async () => {
    const idNumber = residentId('19700101', 'MALE');
    await personWithIdNumber({ name: '重复甲' }, idNumber);
    const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { name: '重复乙', idNumber } }));
    expectError(result, 'CONFLICT', 'input.idNumber');
    expect(result.errors![0].message).not.toContain(idNumber);
    expect(JSON.stringify(result)).not.toContain(idNumber);
  });
});

test('a taken ID number is refused before any write carries it: the unique key (whose refusal PostgreSQL logs with the number) is left for true races', async () => {
  // A sequence is not rolled back with the refused mutation: a trigger bumps it whenever a write
  // carries a number someone else holds, which is what reaches the server's log as
  // `DETAIL: Key (id_number)=(…) already exists`.
  const em = app.orm.em.fork();
  await em.execute(`create sequence if not exists duplicate_id_number_written`);
  await em.execute(`create or replace function note_duplicate_id_number() returns trigger language plpgsql as $$
    begin
      if new.id_number is not null and exists (select 1 from person p where p.id_number = new.id_number and p.id <> new.id) then
        perform nextval('duplicate_id_number_written');
      end if;
      return new;
    end $$`);
  await em.execute(`create trigger note_duplicate_id_number before insert or update on person for each row execute function note_duplicate_id_number()`);
  try {
    const written = async () => Number((await em.execute(`select nextval('duplicate_id_number_written') as n`))[0].n);
    const before = await written();
    const idNumber = residentId('19710202', 'FEMALE');
    await personWithIdNumber({ name: '先登记者', gender: 'FEMALE' }, idNumber);
    const other = await createPerson(app, { name: '后来者' });
    expectError(await app.execute(CREATE, { input: { name: '重复登记者', gender: 'FEMALE', idNumber } }), 'CONFLICT', 'input.idNumber');
    expectError(await app.execute(UPDATE, { id: other, input: { idNumber } }), 'CONFLICT', 'input.idNumber');
    // Only this test's own two reads of the sequence moved it.
    expect(await written()).toBe(before + 1);
  } finally {
    await em.execute(`drop trigger note_duplicate_id_number on person`);
    await em.execute(`drop function note_duplicate_id_number()`);
  }
});

describe('ID numbers raced (review of the count-after-the-guard save)', () => {
  test('five creates with one new number at once: one is stored, every loser gets the sequential CONFLICT on input.idNumber', async () => {
    const idNumber = residentId('19720303', 'MALE');
    const sequential = await expectRacedDuplicatesAnswerAsSequential(app, CREATE, { input: { name: '并发登记者', gender: 'MALE', idNumber } }, 'CONFLICT', 'input.idNumber', 5);
    expect(JSON.stringify(sequential)).not.toContain(idNumber);
    const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from person where id_number = ?', [idNumber]);
    expect(count).toBe(1);
  });

  test('four people given one number at once: one keeps it, the others answer as a later attempt does and keep theirs', async () => {
    const idNumber = residentId('19730404', 'MALE');
    const ids = await Promise.all(['并发甲', '并发乙', '并发丙', '并发丁'].map((name) => createPerson(app, { name, gender: 'MALE' })));
    const results = await Promise.all(ids.map((id) => app.execute(UPDATE, { id, input: { idNumber } })));
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    const loser = ids.find((_id, i) => results[i].errors)!;
    const sequential = await expectNothingWritten(app, () => app.execute(UPDATE, { id: loser, input: { idNumber } }), [{ table: 'person', id: loser }]);
    expectError(sequential, 'CONFLICT', 'input.idNumber');
    for (const result of results.filter((candidate) => candidate.errors)) expect(result).toEqual(sequential);
    const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from person where id_number = ?', [idNumber]);
    expect(count).toBe(1);
  });

  test('an update that keeps or clears the number, with other fields, saves once and right', async () => {
    const idNumber = residentId('19740505', 'FEMALE');
    const id = await personWithIdNumber({ name: '保留号码者', gender: 'FEMALE' }, idNumber);
    await ok(app, UPDATE, { id, input: { idNumber, phone: '13700001111' } });
    expect(await rawRow(app, 'person', id)).toMatchObject({ id_number: idNumber, phone: '13700001111' });
    await ok(app, UPDATE, { id, input: { idNumber: null, birthYear: 1975 } });
    expect(await rawRow(app, 'person', id)).toMatchObject({ id_number: null, birth_year: 1975 });
    // Free again: someone else may take it.
    await ok(app, CREATE, { input: { name: '接号者', gender: 'FEMALE', idNumber } });
  });
});

describe('an ID number is checked against the viewer\'s scope before it is counted, without saving the person first', () => {
  test('staff whose area covers the person register or give a number with one write of the row, which carries it', async () => {
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    // Every write of these test rows moves a sequence (not rolled back with its transaction).
    const em = app.orm.em.fork();
    await em.execute(`create sequence if not exists marked_person_written`);
    await em.execute(`create or replace function note_marked_person_written() returns trigger language plpgsql as $$
      begin
        if new.name like '单次写入%' then perform nextval('marked_person_written'); end if;
        return new;
      end $$`);
    await em.execute(`create trigger note_marked_person_written before insert or update on person for each row execute function note_marked_person_written()`);
    try {
      const written = async () => Number((await em.execute(`select nextval('marked_person_written') as n`))[0].n);
      const registered = residentId('19750707', 'MALE');
      let before = await written();
      const created = await app.execute(CREATE, { input: { name: '单次写入甲', gender: 'MALE', idNumber: registered, residenceCommunityId: w.communityId } }, staff);
      expect(created.errors).toBeUndefined();
      // The insert, and this test's own read.
      expect(await written()).toBe(before + 2);
      expect(await rawRow(app, 'person', created.data.createPerson.id)).toMatchObject({ id_number: registered });

      const id = await createPerson(app, { name: '单次写入乙', gender: 'FEMALE', residenceCommunityId: w.communityId });
      const given = residentId('19760808', 'FEMALE');
      before = await written();
      const updated = await app.execute(UPDATE, { id, input: { idNumber: given } }, staff);
      expect(updated.errors).toBeUndefined();
      expect(await written()).toBe(before + 2);
      expect(await rawRow(app, 'person', id)).toMatchObject({ id_number: given });
    } finally {
      await em.execute(`drop trigger note_marked_person_written on person`);
      await em.execute(`drop function note_marked_person_written()`);
    }
  });

  test('two writers of one new number at once: the second waits for the first and is answered by the count; only the winner ever writes the number', async () => {
    const idNumber = residentId('19770909', 'FEMALE');
    // Every write carrying the number is counted, then waits at a gate the race holds: without a
    // lock on the number, the second writer counts before the first commits and writes it too
    // (and PostgreSQL refuses it at the unique key, logging the number).
    const em = app.orm.em.fork();
    await em.execute(`create sequence if not exists raced_id_number_written`);
    await em.execute(`create or replace function gate_raced_id_number() returns trigger language plpgsql as $$
      begin
        if new.id_number = '${idNumber}' then
          perform nextval('raced_id_number_written');
          perform pg_advisory_xact_lock(4711, 1);
        end if;
        return new;
      end $$`);
    await em.execute(`create trigger gate_raced_id_number before insert or update on person for each row execute function gate_raced_id_number()`);
    try {
      const written = async () => Number((await em.execute(`select nextval('raced_id_number_written') as n`))[0].n);
      const other = await createPerson(app, { name: '并发后者', gender: 'FEMALE' });
      const before = await written();
      const [first, second] = await race(app, ['select pg_advisory_xact_lock(4711, 1)', []],
        () => app.execute(CREATE, { input: { name: '并发先者', gender: 'FEMALE', idNumber } }),
        () => app.execute(UPDATE, { id: other, input: { idNumber } }));
      expect(first.errors).toBeUndefined();
      const sequential = await expectNothingWritten(app, () => app.execute(UPDATE, { id: other, input: { idNumber } }), [{ table: 'person', id: other }]);
      expectError(sequential, 'CONFLICT', 'input.idNumber');
      expect(second).toEqual(sequential);
      expect(JSON.stringify(second)).not.toContain(idNumber);
      // The winner's insert, and this test's own read.
      expect(await written()).toBe(before + 2);
      expect((await rawRow(app, 'person', other))!.id_number).toBeNull();
    } finally {
      await em.execute(`drop trigger gate_raced_id_number on person`);
      await em.execute(`drop function gate_raced_id_number()`);
    }
  });
});

describe('a duplicate ID number answers the same inside and outside the viewer\'s scope', () => {
  test('community staff get the same CONFLICT whether the holder lives in their community or elsewhere', async () => {
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    const inside = residentId('19660606', 'MALE');
    const outside = residentId('19670707', 'MALE');
    await ok(app, CREATE, { input: { name: '本社区居民', gender: 'MALE', idNumber: inside, residenceCommunityId: w.communityId } });
    await ok(app, CREATE, { input: { name: '外社区居民', gender: 'MALE', idNumber: outside, residenceCommunityId: w.otherCommunityId } });
    const answer = async (idNumber: string) => {
      const result = await expectNothingWritten(app, () => app.execute(CREATE, { input: { name: '重复登记', gender: 'MALE', idNumber, residenceCommunityId: w.communityId } }, staff));
      expect(JSON.stringify(result)).not.toContain(idNumber);
      return result.errors?.map(({ message, extensions }) => ({ message, extensions }));
    };
    const here = await answer(inside);
    expect(here?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idNumber' });
    expect(await answer(outside)).toEqual(here);
  });

  test('a community-scoped account probing a number registered in another community learns nothing: writes outside its scope are FORBIDDEN, taken number or not', async () => {
    const staff = accountViewer(Role.COMMUNITY_STAFF, [await areaPath(app, w.communityId)]);
    const holderName = '和平里身份证持有人';
    const taken = residentId('19680808', 'MALE');
    const holder = await createPerson(app, { name: holderName, gender: 'MALE', idNumber: taken, residenceCommunityId: w.otherCommunityId });
    // Lives elsewhere and works a grid here: readable by this community's staff, not theirs to change.
    const servesHere = await createPerson(app, { name: '外社区网格员', gender: 'MALE', residenceCommunityId: w.otherCommunityId });
    await ok(app, `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id } }`, { input: { gridId: w.gridId, personId: servesHere, role: 'FULL_TIME' } });
    const resident = await createPerson(app, { name: '本社区居民乙', gender: 'MALE', residenceCommunityId: w.communityId });
    const probes: [string, (idNumber: string) => Promise<GraphQLResult>][] = [
      ['creating a person in the other community', (idNumber) => app.execute(CREATE, { input: { name: '探测', gender: 'MALE', idNumber, residenceCommunityId: w.otherCommunityId } }, staff)],
      ['creating a person in no community', (idNumber) => app.execute(CREATE, { input: { name: '探测', gender: 'MALE', idNumber } }, staff)],
      ['moving a resident of theirs out with the number', (idNumber) => app.execute(UPDATE, { id: resident, input: { idNumber, residenceCommunityId: w.otherCommunityId } }, staff)],
      ['giving the number to a person they may read but not change', (idNumber) => app.execute(UPDATE, { id: servesHere, input: { idNumber } }, staff)],
    ];
    for (const [, probe] of probes) {
      const free = residentId('19690909', 'MALE');
      const answers = [];
      for (const idNumber of [taken, free]) {
        const result = await expectNothingWritten(app, () => probe(idNumber), [{ table: 'person', id: resident }, { table: 'person', id: servesHere }]);
        const shown = JSON.stringify(result);
        for (const secret of [idNumber, holderName, holder, '和平里']) expect(shown).not.toContain(secret);
        answers.push(result.errors?.map(({ message, extensions }) => ({ message, extensions })));
      }
      expect(answers[0]?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(answers[0]).toEqual(answers[1]);
    }
  });
});

describe('reportedOn is set only by reportMember', () => {
  test('createPerson and updatePerson refuse a reportedOn (it would skip the reporting rules) and write nothing', async () => {
    const created = await expectNothingWritten(app, () => app.execute(CREATE, { input: { name: '冒报党员', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId, reportedOn: '2023-03-05' } }));
    expect(created.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(created.errors?.[0].message).toContain('reportedOn');
    const id = await createPerson(app, { name: '未报到党员', partyStatus: 'IN_SERVICE', joinedPartyOn: '2010-07-01', employerUnitId: w.units.hospitalId, residenceCommunityId: w.communityId });
    const updated = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { reportedOn: '2023-03-05' } }), [{ table: 'person', id }]);
    expect(updated.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok(app, NODE, { id })).node.reportedOn).toBeNull();
  });
});

describe('updatePerson', () => {
  async function fresh(overrides: Partial<PersonInput> = {}): Promise<string> {
    return createPerson(app, {
      name: '黄志明',
      gender: 'MALE',
      birthYear: 1979,
      phone: '13666667777',
      partyStatus: 'IN_SERVICE',
      joinedPartyOn: '2001-07-01',
      employerUnitId: w.units.schoolId,
      residenceCommunityId: w.communityId,
      organizationId: branchId,
      ...overrides,
    });
  }

  test('changes only the given fields', async () => {
    const id = await fresh();
    const before = (await ok(app, NODE, { id })).node;
    const result = await ok(app, UPDATE, { id, input: { name: '黄志明（更名）' } });
    expect(result.updatePerson).toEqual({ ...before, __typename: undefined, name: '黄志明（更名）' });
    expect(await rawRow(app, 'person', id)).toMatchObject({ phone: '13666667777', party_status: 'IN_SERVICE', employer_unit_id: dbId(w.units.schoolId) });
  });

  test('sets an ID number (masked in the response, raw in the database)', async () => {
    const id = await fresh();
    const idNumber = residentId('19790909', 'MALE');
    const result = await app.execute(UPDATE, { id, input: { idNumber, phone: '18900001234' } });
    expect(result.errors).toBeUndefined();
    expect(result.data.updatePerson).toMatchObject({ idNumber: maskedId(idNumber), phone: '189****1234' });
    expect(JSON.stringify(result)).not.toContain(idNumber);
    expect(JSON.stringify(result)).not.toContain('18900001234');
    expect(await rawRow(app, 'person', id)).toMatchObject({ id_number: idNumber, phone: '18900001234' });
  });

  test('null clears the optional fields', async () => {
    const id = await fresh({ partyStatus: 'RETIRED', joinedPartyOn: '1990-07-01' });
    await ok(app, UPDATE, { id, input: { idNumber: residentId('19790101', 'MALE') } });
    const result = await ok(app, UPDATE, {
      id,
      input: { gender: null, birthYear: null, phone: null, idNumber: null, joinedPartyOn: null, partyStatus: null, employerUnitId: null, residenceCommunityId: null, organizationId: null },
    });
    expect(result.updatePerson).toEqual({
      id,
      name: '黄志明',
      gender: null,
      birthYear: null,
      phone: null,
      idNumber: null,
      partyStatus: null,
      isPartyMember: false,
      joinedPartyOn: null,
      reportedOn: null,
      employerUnit: null,
      residenceCommunity: null,
      organization: null,
    });
    expect(await rawRow(app, 'person', id)).toMatchObject({ phone: null, id_number: null, party_status: null, employer_unit_id: null, residence_community_id: null });
  });

  test('null on the required field name gives BAD_USER_INPUT and writes nothing', async () => {
    const id = await fresh();
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input: { name: null } }), [{ table: 'person', id }]);
    expectError(result, 'BAD_USER_INPUT', 'input.name');
  });

  test('the registration rules hold on update; nothing changes when they fail', async () => {
    const id = await fresh();
    const unchanged = [{ table: 'person' as const, id }];
    const cases: [Record<string, unknown>, string][] = [
      [{ employerUnitId: null }, 'input.employerUnitId'],
      [{ partyStatus: null }, 'input.joinedPartyOn'],
      [{ idNumber: residentId('19800101', 'MALE') }, 'input.birthYear'],
      [{ idNumber: residentId('19790101', 'FEMALE') }, 'input.gender'],
      [{ phone: '12345' }, 'phone'],
      [{ idNumber: withBadChecksum(residentId('19790101', 'MALE')) }, 'idNumber'],
      [{ name: '' }, 'name'],
      [{ residenceCommunityId: w.otherGridId }, 'input.residenceCommunityId'],
    ];
    for (const [input, field] of cases) {
      const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id, input }), unchanged);
      expectError(result, 'BAD_USER_INPUT', field);
      if (typeof input.idNumber === 'string') expect(JSON.stringify(result)).not.toContain(input.idNumber);
    }
    // Changing status and employer together is fine.
    const moved = await ok(app, UPDATE, { id, input: { partyStatus: 'RETIRED', employerUnitId: null } });
    expect(moved.updatePerson).toMatchObject({ partyStatus: 'RETIRED', employerUnit: null, joinedPartyOn: '2001-07-01' });
  });

  test('taking someone else\'s ID number gives CONFLICT without echoing it; keeping one\'s own is fine', async () => {
    const idNumber = residentId('19650606', 'FEMALE');
    const holder = await personWithIdNumber({ name: '持证人', gender: 'FEMALE' }, idNumber);
    const other = await createPerson(app, { name: '另一人' });
    const result = await expectNothingWritten(app, () => app.execute(UPDATE, { id: other, input: { idNumber } }), [{ table: 'person', id: other }]);
    expectError(result, 'CONFLICT', 'input.idNumber');
    expect(JSON.stringify(result)).not.toContain(idNumber);
    const same = await app.execute(UPDATE, { id: holder, input: { idNumber, birthYear: 1965 } });
    expect(same.errors).toBeUndefined();
    expect(same.data.updatePerson.birthYear).toBe(1965);
    expect(JSON.stringify(same)).not.toContain(idNumber);
  });

  test('missing and wrong-type ids', async () => {
    expectError(await app.execute(UPDATE, { id: toGlobalId('Person', 999999), input: { name: '无' } }), 'NOT_FOUND', 'id');
    expectError(await app.execute(UPDATE, { id: w.units.hospitalId, input: { name: '无' } }), 'BAD_USER_INPUT', 'id');
    expectError(await app.execute(UPDATE, { id: '', input: { name: '无' } }), 'BAD_USER_INPUT', 'id');
  });
});

describe('people and partyMembers lists', () => {
  let tree: Awaited<ReturnType<typeof buildTree>>;
  let units: Awaited<ReturnType<typeof buildUnits>>;
  let orgId: string;
  let ids: Record<string, string>;
  beforeAll(async () => {
    tree = await buildTree(app);
    units = await buildUnits(app, tree);
    orgId = await createPartyOrganization(app, { name: '幸福里第一网格党支部', kind: 'BRANCH', areaId: tree.gridId });
    ids = {
      wangJianhua: await createPerson(app, { name: '王建华', partyStatus: 'IN_SERVICE', employerUnitId: units.hospitalId, residenceCommunityId: tree.communityId, organizationId: orgId, phone: '13811112222' }),
      wangXiulan: await createPerson(app, { name: '王秀兰', partyStatus: 'RETIRED', residenceCommunityId: tree.communityId, organizationId: orgId }),
      chenMing: await createPerson(app, { name: '陈明', partyStatus: 'MOBILE', residenceCommunityId: tree.otherCommunityId }),
      liNa: await createPerson(app, { name: '李娜', employerUnitId: units.hospitalId, residenceCommunityId: tree.communityId }),
      liuYang: await createPerson(app, { name: '刘洋', employerUnitId: units.schoolId }),
    };
  });

  async function names(query: string, field: 'people' | 'partyMembers', filter: Record<string, unknown>): Promise<string[]> {
    const data = await ok(app, query, { filter, first: 100 });
    expect(data[field].totalCount).toBe(data[field].edges.length);
    return data[field].edges.map((edge: any) => edge.node.name);
  }
  const people = (filter: Record<string, unknown>) => names(PEOPLE, 'people', filter);
  const members = (filter: Record<string, unknown>) => names(PARTY_MEMBERS, 'partyMembers', filter);

  test('people lists everyone, partyMembers only party members (by name)', async () => {
    expect(await people({ within: tree.districtId })).toEqual(['李娜', '王建华', '王秀兰', '陈明']);
    expect(await members({ within: tree.districtId })).toEqual(['王建华', '王秀兰', '陈明']);
    expect(await people({ employerUnitId: units.schoolId })).toEqual(['刘洋']);
  });

  test('filters: isPartyMember, partyStatuses, within, residenceCommunityId, employerUnitId, organizationId, search', async () => {
    expect(await people({ within: tree.districtId, isPartyMember: false })).toEqual(['李娜']);
    expect(await people({ within: tree.districtId, isPartyMember: true })).toEqual(['王建华', '王秀兰', '陈明']);
    expect(await members({ within: tree.districtId, isPartyMember: false })).toEqual([]);
    expect(await people({ within: tree.districtId, partyStatuses: ['RETIRED', 'MOBILE'] })).toEqual(['王秀兰', '陈明']);
    expect(await people({ within: tree.otherCommunityId })).toEqual(['陈明']);
    expect(await people({ residenceCommunityId: tree.communityId })).toEqual(['李娜', '王建华', '王秀兰']);
    expect(await people({ employerUnitId: units.hospitalId })).toEqual(['李娜', '王建华']);
    expect(await people({ organizationId: orgId })).toEqual(['王建华', '王秀兰']);
    expect(await people({ within: tree.districtId, search: '王' })).toEqual(['王建华', '王秀兰']);
    expect(await members({ residenceCommunityId: tree.communityId, search: '建华' })).toEqual(['王建华']);
  });

  test('list responses mask phones', async () => {
    const result = await app.execute(PEOPLE, { filter: { employerUnitId: units.hospitalId } });
    expect(result.data.people.edges.find((edge: any) => edge.node.id === ids.wangJianhua).node.phone).toBe('138****2222');
    expect(JSON.stringify(result)).not.toContain('13811112222');
  });

  test('bad filter ids', async () => {
    expectError(await app.execute(PEOPLE, { filter: { residenceCommunityId: tree.gridId } }), 'BAD_USER_INPUT', 'filter.residenceCommunityId');
    expectError(await app.execute(PEOPLE, { filter: { employerUnitId: toGlobalId('Unit', 999999) } }), 'NOT_FOUND', 'filter.employerUnitId');
    expectError(await app.execute(PEOPLE, { filter: { organizationId: units.hospitalId } }), 'BAD_USER_INPUT', 'filter.organizationId');
  });

  test('pagination walks everyone once; first 101 and a garbage after are rejected', async () => {
    const { ids: walked, pages } = await walkPages(app, PEOPLE, 'people', 2, { filter: { within: tree.districtId } });
    expect(pages).toBe(2);
    expect(new Set(walked)).toEqual(new Set([ids.wangJianhua, ids.wangXiulan, ids.chenMing, ids.liNa]));
    expect(walked).toHaveLength(4);
    expectError(await app.execute(PEOPLE, { first: 101 }), 'BAD_USER_INPUT', 'first');
    expectError(await app.execute(PEOPLE, { first: 2, after: 'Z2FyYmFnZQ' }), 'BAD_USER_INPUT', 'after');
  });

  test('nested: community { partyMembers, partyMemberCount }, unit { people, peopleCount }, organisation { members }', async () => {
    const data = await ok(app, `query($c: ID!, $o: ID!, $h: ID!, $org: ID!) {
      c: node(id: $c) { ... on Community { partyMemberCount partyMembers { totalCount edges { node { name partyStatus } } } } }
      o: node(id: $o) { ... on Community { partyMemberCount partyMembers { totalCount edges { node { name } } } } }
      h: node(id: $h) { ... on Unit { peopleCount people { totalCount edges { node { name isPartyMember phone } } } } }
      org: node(id: $org) { ... on PartyOrganization { memberCount members { totalCount } } }
    }`, { c: tree.communityId, o: tree.otherCommunityId, h: units.hospitalId, org: orgId });
    expect(data.c).toEqual({
      partyMemberCount: 2,
      partyMembers: { totalCount: 2, edges: [{ node: { name: '王建华', partyStatus: 'IN_SERVICE' } }, { node: { name: '王秀兰', partyStatus: 'RETIRED' } }] },
    });
    expect(data.o).toEqual({ partyMemberCount: 1, partyMembers: { totalCount: 1, edges: [{ node: { name: '陈明' } }] } });
    expect(data.h).toEqual({
      peopleCount: 2,
      people: { totalCount: 2, edges: [{ node: { name: '李娜', isPartyMember: false, phone: null } }, { node: { name: '王建华', isPartyMember: true, phone: '138****2222' } }] },
    });
    expect(data.org).toEqual({ memberCount: 2, members: { totalCount: 2 } });
  });
});

describe('grid workers (网格员)', () => {
  const ASSIGN = `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { id role startsOn grid { id name } person { id name } } }`;
  const UNASSIGN = `mutation($id: ID!) { unassignGridWorker(id: $id) }`;
  const WORKERS = `query($id: ID!) { node(id: $id) { ... on Grid { workerCount workers { totalCount edges { node { id role person { name } } } } } } }`;

  test('assign, list on the grid and the person, unassign (returns the ID)', async () => {
    const tree = await buildTree(app);
    const leader = await createPerson(app, { name: '网格长老周', partyStatus: 'RETIRED', residenceCommunityId: tree.communityId });
    const worker = await createPerson(app, { name: '专职网格员小吴' });
    const first = await ok(app, ASSIGN, { input: { gridId: tree.gridId, personId: leader, role: 'GRID_LEADER', startsOn: '2023-01-01' } });
    expect(first.assignGridWorker).toEqual({
      id: expect.any(String),
      role: 'GRID_LEADER',
      startsOn: '2023-01-01',
      grid: { id: tree.gridId, name: '幸福里第一网格' },
      person: { id: leader, name: '网格长老周' },
    });
    const second = await ok(app, ASSIGN, { input: { gridId: tree.gridId, personId: worker, role: 'FULL_TIME' } });
    // The same person may work another grid.
    await ok(app, ASSIGN, { input: { gridId: tree.otherGridId, personId: leader, role: 'PART_TIME' } });

    const listed = await ok(app, WORKERS, { id: tree.gridId });
    expect(listed.node).toEqual({
      workerCount: 2,
      workers: {
        totalCount: 2,
        edges: [
          { node: { id: first.assignGridWorker.id, role: 'GRID_LEADER', person: { name: '网格长老周' } } },
          { node: { id: second.assignGridWorker.id, role: 'FULL_TIME', person: { name: '专职网格员小吴' } } },
        ],
      },
    });
    const personView = await ok(app, `query($id: ID!) { node(id: $id) { ... on Person { gridAssignments { totalCount edges { node { role grid { name } } } } } } }`, { id: leader });
    expect(personView.node.gridAssignments).toEqual({
      totalCount: 2,
      edges: [{ node: { role: 'GRID_LEADER', grid: { name: '幸福里第一网格' } } }, { node: { role: 'PART_TIME', grid: { name: '和平里第一网格' } } }],
    });

    const before = await rowCounts(app);
    const removed = await ok(app, UNASSIGN, { id: second.assignGridWorker.id });
    expect(removed.unassignGridWorker).toBe(second.assignGridWorker.id);
    expect((await rowCounts(app)).grid_assignment).toBe(before.grid_assignment - 1);
    expect(await rawRow(app, 'grid_assignment', second.assignGridWorker.id)).toBeUndefined();
    expect((await ok(app, WORKERS, { id: tree.gridId })).node).toMatchObject({ workerCount: 1, workers: { totalCount: 1 } });
    expectError(await expectNothingWritten(app, () => app.execute(UNASSIGN, { id: second.assignGridWorker.id })), 'NOT_FOUND', 'id');
    expectError(await expectNothingWritten(app, () => app.execute(UNASSIGN, { id: worker })), 'BAD_USER_INPUT', 'id');
  });

  test('five identical assignments at once: one wins, every loser gets the sequential duplicate answer, one is stored', async () => {
    const personId = await createPerson(app, { name: '并发网格员小钱' });
    const input = { gridId: w.gridId, personId, role: 'PART_TIME' };
    const sequential = await expectRacedDuplicatesAnswerAsSequential(app, ASSIGN, { input }, 'CONFLICT', 'input.personId', 5);
    expect(sequential.errors![0].message).toBe('this person already works this grid');
    const [{ count }] = await app.orm.em.fork().execute('select count(*)::int as count from grid_assignment where person_id = ?', [dbId(personId)]);
    expect(count).toBe(1);
  });

  test('one 网格长 a grid: a second GRID_LEADER is CONFLICT and writes nothing, five different people at once leave one; once unassigned, another may lead', async () => {
    const tree = await buildTree(app);
    const people = await Promise.all(['网格长甲', '网格长乙', '网格长丙', '网格长丁', '网格长戊'].map((name) => createPerson(app, { name })));
    const results = await Promise.all(people.map((personId) => app.execute(ASSIGN, { input: { gridId: tree.gridId, personId, role: 'GRID_LEADER' } })));
    const winners = results.filter((result) => !result.errors);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((result) => result.errors)) expectError(loser, 'CONFLICT', 'input.role');
    const leaders = () => app.orm.em.fork().execute(`select count(*)::int as count from grid_assignment where grid_id = ? and role = 'GRID_LEADER'`, [dbId(tree.gridId)]);
    expect(await leaders()).toEqual([{ count: 1 }]);
    const late = await createPerson(app, { name: '网格长己' });
    const refused = await expectNothingWritten(app, () => app.execute(ASSIGN, { input: { gridId: tree.gridId, personId: late, role: 'GRID_LEADER' } }));
    expectError(refused, 'CONFLICT', 'input.role');
    // Other roles, and the other grid, are not limited.
    await ok(app, ASSIGN, { input: { gridId: tree.gridId, personId: late, role: 'FULL_TIME' } });
    await ok(app, ASSIGN, { input: { gridId: tree.otherGridId, personId: late, role: 'GRID_LEADER' } });
    await ok(app, UNASSIGN, { id: winners[0].data.assignGridWorker.id });
    const leaderNow = people.find((personId) => personId !== winners[0].data.assignGridWorker.person.id)!;
    await ok(app, ASSIGN, { input: { gridId: tree.gridId, personId: leaderNow, role: 'GRID_LEADER' } });
    expect(await leaders()).toEqual([{ count: 1 }]);
  });

  test('the same person twice on a grid gives CONFLICT; bad ids write nothing', async () => {
    const personId = await createPerson(app, { name: '兼职网格员小郑' });
    await ok(app, ASSIGN, { input: { gridId: w.gridId, personId, role: 'PART_TIME' } });
    expectError(await expectNothingWritten(app, () => app.execute(ASSIGN, { input: { gridId: w.gridId, personId, role: 'FULL_TIME' } })), 'CONFLICT', 'input.personId');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ gridId: w.communityId }, 'BAD_USER_INPUT', 'input.gridId'],
      [{ gridId: toGlobalId('Grid', dbId(w.communityId)) }, 'NOT_FOUND', 'input.gridId'],
      [{ gridId: toGlobalId('Grid', 999999) }, 'NOT_FOUND', 'input.gridId'],
      [{ personId: w.units.hospitalId }, 'BAD_USER_INPUT', 'input.personId'],
      [{ personId: toGlobalId('Person', 999999) }, 'NOT_FOUND', 'input.personId'],
      [{ personId: '%%' }, 'BAD_USER_INPUT', 'input.personId'],
    ];
    for (const [overrides, code, field] of cases) {
      const input = { gridId: w.otherGridId, personId, role: 'FULL_TIME', ...overrides };
      expectError(await expectNothingWritten(app, () => app.execute(ASSIGN, { input })), code, field);
    }
  });
});
