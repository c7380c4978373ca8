import { compileDateFormat } from '../../src/modules/service-data/date-format';
import { SERVICE_CATALOGUE } from '../../src/modules/service-data/catalogue';
import { generateServiceRecords, GONGJIAN_CSV_HEADER } from '../../src/modules/service-data/generator';
import { compileMapping, hashResident, parseMapping, stableHash, type Lookups } from '../../src/modules/service-data/mapping';
import gongjian from '../../mappings/gongjian.json';

describe('date formats', () => {
  const china = compileDateFormat('YYYY-MM-DD HH:mm:ss', 480);
  const us = compileDateFormat('MM/DD/YYYY hh:mm:ss A', -300);

  test('parse to epoch seconds in the given offset', () => {
    expect(china('2024-01-01 08:00:00')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0) / 1000);
    expect(us('04/12/2018 11:11:26 AM')).toBe(Date.UTC(2018, 3, 12, 16, 11, 26) / 1000);
    expect(us('04/12/2018 12:05:00 AM')).toBe(Date.UTC(2018, 3, 12, 5, 5, 0) / 1000);
    expect(us('04/12/2018 12:05:00 PM')).toBe(Date.UTC(2018, 3, 12, 17, 5, 0) / 1000);
  });

  test('refuse impossible or malformed dates', () => {
    for (const bad of ['2024-02-30 10:00:00', '2023-02-29 10:00:00', '2024-13-01 10:00:00', '2024-01-01 24:00:00', '2024-1-1 10:00:00', 'yesterday', '']) expect(china(bad)).toBeNull();
    expect(us('04/12/2018 13:00:00 PM')).toBeNull();
    expect(china('2024-02-29 23:59:59')).not.toBeNull();
  });

  test('refuse years before 1000 instead of reading 0024 as 1924, in the positional and the general parser', () => {
    const slashes = compileDateFormat('YYYY/M/D H:mm', 480);
    for (const text of ['0024-03-01 09:00:00', '0099-12-31 23:00:00', '0999-01-01 00:00:00']) expect(china(text)).toBeNull();
    for (const text of ['0024/3/1 9:00', '0999/1/1 0:00']) expect(slashes(text)).toBeNull();
    expect(china('1000-01-01 08:00:00')).toBe(Date.UTC(1000, 0, 1, 0) / 1000);
    expect(slashes('2024/3/1 9:00')).toBe(Date.UTC(2024, 2, 1, 1) / 1000);
  });
});

describe('date formats: offsets in the text, and formats that cannot name a day', () => {
  test('Z reads the text\'s own offset (Z, +08:00, -0500) instead of the mapping\'s', () => {
    const iso = compileDateFormat('YYYY-MM-DDTHH:mm:ssZ', 480);
    const noon = Date.UTC(2024, 2, 1, 2) / 1000;
    expect(iso('2024-03-01T10:00:00+08:00')).toBe(noon);
    expect(iso('2024-03-01T02:00:00Z')).toBe(noon);
    expect(iso('2024-02-29T21:00:00-0500')).toBe(noon);
    expect(iso('2024-03-01T10:00:00+23:00')).toBeNull();
    expect(iso('2024-03-01T10:00:00')).toBeNull();
  });

  test('a format without a year, a month or a day is refused when the mapping is read, not by a NaN in the first row', () => {
    expect(() => compileDateFormat('YYYY-MM', 480)).toThrow(/needs a year/);
    expect(() => compileDateFormat('MM-DD HH:mm', 480)).toThrow(/needs a year/);
    expect(() => compileDateFormat('YYYY-DD HH:mm', 480)).toThrow(/needs a year/); // mm is minutes
    expect(() => compileDateFormat('YYYY/M/D H:mm', 480)).not.toThrow();
    expect(() => parseMapping({ ...gongjian, dateFormats: ['YYYY-MM-DD HH:mm:ss', 'YYYY-MM'] })).toThrow(/dateFormats\.1: .*needs a year/);
    expect(() => parseMapping({ ...gongjian, timezone: 'Beijing' })).toThrow(/timezone/);
  });
});

describe('mapping', () => {
  const lookups: Lookups = {
    itemByCode: new Map([['SOC-INSURANCE-01', 7]]),
    itemByName: new Map(),
    communityByCode: new Map([['370199001001', 5]]),
    communityByName: new Map(),
    gridByCode: new Map([['370199001001001', { id: 50, communityId: 5 }], ['370199002001001', { id: 60, communityId: 9 }]]),
    gridByName: new Map(),
    buildingByCode: new Map(),
    buildingByName: new Map(),
  };
  const mapper = compileMapping(parseMapping(gongjian), GONGJIAN_CSV_HEADER.split(','), lookups, 'salt');
  const row = (overrides: Record<string, string> = {}) => {
    const base: Record<string, string> = {
      source_id: 'A-1', item_code: 'SOC-INSURANCE-01', received_at: '2024-03-01 09:00:00', finished_at: '2024-03-01 10:00:00', status: 'FINISHED',
      community_code: '370199001001', grid_code: '370199001001001', building_code: '', resident_groups: 'ELDERLY|WOMEN', channel: 'COUNTER',
      satisfaction: '5', resident_hash: '', note: 'tab\there',
    };
    return GONGJIAN_CSV_HEADER.split(',').map((column) => overrides[column] ?? base[column]);
  };

  test('a rejected value echoed in the reason has its phone and ID numbers masked, however they are written', () => {
    const numbers = ['138-1234-5678', '138 1234 5678', '１３８１２３４５６７８', '+86 138-1234-5678', '0531-88776655', '370102199001015678', 'a@b.cn 13812345678'];
    for (const secret of numbers) {
      const rejected = mapper(row({ status: secret }));
      expect(rejected).toMatchObject({ column: 'status', reason: expect.stringMatching(/^unknown status "/) });
      const reason = (rejected as { reason: string }).reason;
      for (const digits of ['1234', '１２３４', '8877', '19900101']) expect(reason).not.toContain(digits);
    }
    expect(mapper(row({ status: '138-1234-5678' }))).toEqual({ column: 'status', reason: 'unknown status "138****5678"' });
    expect(mapper(row({ status: 'DONE' }))).toEqual({ column: 'status', reason: 'unknown status "DONE"' });
  });

  test('a good row becomes one COPY line with ids, epoch seconds and the group bitmask', () => {
    const line = mapper(row());
    expect(typeof line).toBe('string');
    const cells = (line as string).replace(/\n$/, '').split('\t');
    expect(cells.slice(0, 11)).toEqual(['A-1', '7', String(Date.UTC(2024, 2, 1, 1) / 1000), String(Date.UTC(2024, 2, 1, 2) / 1000), 'FINISHED', '5', '50', '\\N', '9', 'COUNTER', '5']);
    expect(cells[12]).toBe('tab\\there');
  });

  test('a grid outside the record\'s community is dropped, not trusted', () => {
    const cells = (mapper(row({ grid_code: '370199002001001' })) as string).split('\t');
    expect(cells[6]).toBe('\\N');
  });

  test.each([
    [{ received_at: '2024-02-30 09:00:00' }, 'received_at', /malformed date/],
    [{ received_at: '0024-03-01 09:00:00', finished_at: '' }, 'received_at', /malformed date "0024-03-01 09:00:00"/],
    [{ finished_at: '' }, 'finished_at', /a FINISHED record needs its finish time/],
    [{ received_at: '2099-01-01 09:00:00', finished_at: '' , status: 'OPEN' }, 'received_at', /received in the future "2099-01-01 09:00:00"/],
    [{ received_at: '2024-03-01 09:00:00', finished_at: '2099-01-01 09:00:00' }, 'finished_at', /finished in the future/],
    [{ item_code: 'NOPE' }, 'item_code', /unknown service item "NOPE"/],
    [{ community_code: '999' }, 'community_code', /unknown community/],
    [{ status: 'DONE' }, 'status', /unknown status/],
    [{ finished_at: '2024-02-01 09:00:00' }, 'finished_at', /finished before/],
    [{ satisfaction: '9' }, 'satisfaction', /1-5/],
    [{ resident_groups: 'ELDERLY|ALIENS' }, 'resident_groups', /unknown resident group/],
    [{ resident_hash: '370102199001011234' }, 'resident_hash', /32 hexadecimal/],
    [{ source_id: '' }, 'source_id', /source id is missing/],
    [{ source_id: 'A-\u00001' }, 'source_id', /^source id contains a NUL character/],
    [{ note: 'before\u0000after' }, 'note', /^note contains a NUL character/],
  ])('rejects %j with column and reason', (overrides, column, reason) => {
    const result = mapper(row(overrides));
    expect(result).toEqual({ column, reason: expect.stringMatching(reason) });
  });

  test('a NUL character in the agency rejects the row (PostgreSQL text cannot hold it)', () => {
    const withAgency = compileMapping(parseMapping({ ...gongjian, fields: { ...gongjian.fields, agency: { column: 'agency' } } }), [...GONGJIAN_CSV_HEADER.split(','), 'agency'], lookups, 'salt');
    expect(typeof withAgency([...row(), '区人社局'])).toBe('string');
    expect(withAgency([...row(), '区人社局\u0000'])).toEqual({ column: 'agency', reason: 'agency contains a NUL character (U+0000), which cannot be stored' });
  });

  test('a row with the wrong number of fields is rejected', () => {
    expect(mapper(['a', 'b'])).toEqual({ column: null, reason: expect.stringMatching(/expected 13 fields, got 2/) });
  });

  test('a file missing a mapped column fails before any row', () => {
    expect(() => compileMapping(parseMapping(gongjian), ['source_id'], lookups)).toThrow(/no column "item_code"/);
  });

  test('resident identifiers are hashed with the salt; a reason never echoes them', () => {
    expect(hashResident('370102199001011234', 's1')).toMatch(/^[0-9a-f]{32}$/);
    expect(hashResident('370102199001011234', 's1')).not.toBe(hashResident('370102199001011234', 's2'));
    const rejected = mapper(row({ resident_hash: '370102199001011234' }));
    expect(JSON.stringify(rejected)).not.toContain('370102199001011234');
  });

  test('areaFallback hashing is stable', () => {
    expect(stableHash('Dorchester')).toBe(stableHash('Dorchester'));
    expect(stableHash('Dorchester')).not.toBe(stableHash('Canton'));
  });
});

describe('generator', () => {
  const take = (n: number, seed: number) => [...generateServiceRecords({ records: n, seed })];

  test('is deterministic for a seed and differs across seeds', () => {
    expect(take(500, 1)).toEqual(take(500, 1));
    expect(take(500, 1)).not.toEqual(take(500, 2));
  });

  test('about 58 % consultations, only catalogue items, ordered by day', () => {
    const consultation = new Map(SERVICE_CATALOGUE.map((e) => [e.code, e.isConsultation]));
    const lines = take(20000, 7).slice(1);
    const share = lines.filter((line) => consultation.get(line.split(',')[1])).length / lines.length;
    expect(share).toBeGreaterThan(0.55);
    expect(share).toBeLessThan(0.61);
    expect(lines.every((line) => consultation.has(line.split(',')[1]))).toBe(true);
    const days = lines.map((line) => line.split(',')[2].slice(0, 10));
    expect([...days].sort()).toEqual(days);
  });

  test('the catalogue has ~200 items over the 7 one-window categories', () => {
    expect(SERVICE_CATALOGUE.length).toBeGreaterThanOrEqual(180);
    expect(new Set(SERVICE_CATALOGUE.map((e) => e.category.split('-')[0]))).toEqual(new Set(['SOC', 'CIV', 'HEALTH', 'HOUSING', 'JOB', 'CARE', 'CERT']));
    expect(new Set(SERVICE_CATALOGUE.map((e) => e.code)).size).toBe(SERVICE_CATALOGUE.length);
  });
});
