/**
 * `--flag value` / `--flag=value` / positional parsing for the service-data CLIs. Returns an
 * error line for an unknown flag or a flag without its value.
 */
export function parseFlags(argv: string[], flags: readonly string[], booleans: readonly string[] = []): { values: Record<string, string>; positional: string[] } | string {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (booleans.includes(flag)) values[flag] = 'true';
    else if (flags.includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) return `--${flag} needs a value`;
      values[flag] = value;
    } else return `unknown argument ${JSON.stringify(arg)}`;
  }
  return { values, positional };
}
