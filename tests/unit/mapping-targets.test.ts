import { parseMapping } from '../../src/modules/service-data/mapping';
import gongjian from '../../mappings/gongjian.json';
import baltimore from '../../mappings/baltimore311.json';

/*
 * Found by a review of `npm run import` as a user meets it: a mapping whose value map sends a raw
 * status or channel to something that is no status or channel ("DONE" for "FINISHED", a typo) was
 * accepted, and every row carrying that value was then rejected as `unknown status "DONE"`, a
 * value the file does not hold. The README: a mapping that is invalid exits 2, before any run.
 */

const withField = (name: 'status' | 'channel', spec: Record<string, unknown>) => ({ ...gongjian, fields: { ...gongjian.fields, [name]: { ...gongjian.fields[name], ...spec } } });

test('a status or channel a mapping maps to that is none of ours is refused when the mapping is read, naming the place', () => {
  expect(() => parseMapping(withField('status', { values: { ...gongjian.fields.status.values, 完成: 'DONE' } }), 'm.json')).toThrow(
    'invalid m.json: fields.status.values.完成: "DONE" is not a status (OPEN, FINISHED, CANCELLED)',
  );
  expect(() => parseMapping(withField('status', { default: 'open' }), 'm.json')).toThrow('invalid m.json: fields.status.default: "open" is not a status');
  expect(() => parseMapping(withField('status', { constant: 'CLOSED' }), 'm.json')).toThrow('invalid m.json: fields.status.constant: "CLOSED" is not a status');
  expect(() => parseMapping(withField('channel', { prefixes: { 'Ph': 'PHON' } }), 'm.json')).toThrow('invalid m.json: fields.channel.prefixes.Ph: "PHON" is not a channel');
  expect(() => parseMapping(withField('channel', { otherwise: 'other' }), 'm.json')).toThrow('invalid m.json: fields.channel.otherwise: "other" is not a channel');
  // The shipped mappings stay valid.
  expect(() => parseMapping(gongjian)).not.toThrow();
  expect(() => parseMapping(baltimore)).not.toThrow();
});

test('a mistake at the top level of a mapping reads "invalid m.json: <reason>", not "invalid m.json: : <reason>"', () => {
  expect(() => parseMapping({ ...gongjian, delimeter: ';' }, 'm.json')).toThrow(/^invalid m\.json: Unrecognized key\(s\) in object: 'delimeter'$/);
  expect(() => parseMapping([], 'm.json')).toThrow(/^invalid m\.json: Expected object, received array$/);
});
