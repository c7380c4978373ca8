import { maskIdNumber, maskPhone } from '../../src/common/privacy';

describe('maskPhone', () => {
  test.each([
    ['13812345678', '138****5678'],
    ['0531-88889999', '0531-****9999'],
    ['053188889999', '0531-****9999'],
    [null, null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  test('never returns the middle digits of a mobile number', () => {
    expect(maskPhone('13912348765')).not.toContain('1234');
  });
});

describe('maskIdNumber', () => {
  test('keeps the region prefix and the last four, hides the birth date', () => {
    const masked = maskIdNumber('370102199001011237');
    expect(masked).toBe('370***********1237');
    expect(masked).not.toContain('19900101');
    expect(masked).toHaveLength(18);
  });

  test('short values are fully masked', () => {
    expect(maskIdNumber('12345')).toBe('*****');
  });
});
