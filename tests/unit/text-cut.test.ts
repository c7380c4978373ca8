import { cutText, isWellFormedText } from '../../src/common/text';

describe('cutText: at most n characters (code points), never half a surrogate pair', () => {
  test.each([
    ['abc', 5, 'abc'],
    ['abcdef', 3, 'abc'],
    [`a${'😀'.repeat(3)}`, 4, `a${'😀'.repeat(3)}`], // 4 characters in 7 UTF-16 units: nothing to cut
    [`ab😀c`, 3, 'ab😀'],
    [`ab😀c`, 2, 'ab'],
    ['ab\ud800', 3, 'ab\ud800'], // a lone half is a character of its own (refused elsewhere, never created here)
  ])('%j cut to %i', (text, max, expected) => {
    const cut = cutText(text, max);
    expect(cut).toBe(expected);
    expect(isWellFormedText(cut)).toBe(isWellFormedText(expected));
  });

  test('a cut never leaves a lone surrogate, at every length', () => {
    const text = 'a😀b🎉🎉c好';
    for (let max = 0; max <= 8; max++) expect(isWellFormedText(cutText(text, max))).toBe(true);
    expect([...cutText(text, 5)]).toHaveLength(5);
  });
});
