import { runClassifierEvaluation } from '../../src/modules/text/classifier-eval';

/* Found by a review: npm run eval:classifier's "bad argument" line quoted the wrong word (the value after the flag, or undefined). */

function call(argv: string[]): { code: number; printed: string } {
  const lines: string[] = [];
  const code = runClassifierEvaluation(argv, (line) => lines.push(line));
  return { code, printed: lines.join('\n') };
}

test.each([
  [['--bogus'], '--bogus'],
  [['--folds', '1'], '--folds'],
  [['--encoding', 'latin1'], '--encoding'],
  [['--data'], '--data'],
])('%j is exit code 2 and the error names %s', (argv, flag) => {
  const { code, printed } = call(argv);
  expect(code).toBe(2);
  const first = printed.split('\n')[0];
  expect(first).toContain(flag);
  expect(first).not.toContain('undefined');
});
