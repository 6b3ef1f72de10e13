// The CLI layer (src/cli/command.ts) on a hand-made schema: typed values, defaults, ranges, choices, positionals,
// --help, and every problem as one InputError line naming the flag.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { defineCommand, formatHelp, parseCommandArgs } from '../../src/cli/command.ts';

const spec = defineCommand({
  name: 'demo',
  summary: 'A demo command.',
  positional: { name: 'mode', description: 'what to do', choices: ['fast', 'slow'] },
  flags: {
    input: { type: 'string', value: 'DIR', required: true, description: 'where to read', example: 'data' },
    count: { type: 'integer', value: 'N', min: 1, max: 10, default: 3, description: 'how many', example: '5' },
    ratio: { type: 'number', value: 'R', min: 0, max: 1, description: 'a fraction', defaultText: 'from the config', example: '0.5' },
    format: { type: 'string', value: 'FMT', choices: ['csv', 'csv.gz'], default: 'csv', description: 'file format' },
    verbose: { type: 'boolean', description: 'say more' },
  },
  examples: ['npm run demo -- --input data'],
  run: () => undefined,
});

const parse = (...argv: string[]) => parseCommandArgs(spec, argv);
const problem = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseCommandArgs', () => {
  it('returns typed values with defaults filled in and booleans off', () => {
    expect(parse('--input', 'd')).toEqual({ args: { input: 'd', count: 3, format: 'csv', verbose: false }, positionals: [] });
    const r = parse('fast', '--input=d', '--count', '7', '--ratio', '0.25', '--format', 'csv.gz', '--verbose', '--');
    expect(r).toEqual({ args: { input: 'd', count: 7, ratio: 0.25, format: 'csv.gz', verbose: true }, positionals: ['fast'] });
  });

  it('answers help before checking anything else', () => {
    expect(parse('--help')).toBe('help');
    expect(parse('--bogus', '-h')).toBe('help');
  });

  it('turns each mistake into one line that names the flag and points to --help', () => {
    expect(problem()).toBe('--input is required (npm run demo -- --help lists the flags)');
    expect(problem('--input', 'd', '--bogus')).toMatch(/^unknown flag --bogus \(/);
    expect(problem('--input')).toMatch(/^--input needs a value/);
    expect(problem('--input', 'd', '--count', '2.5')).toMatch(/^--count must be an integer in 1\.\.10, got "2\.5"/);
    expect(problem('--input', 'd', '--count', '11')).toMatch(/^--count must be an integer in 1\.\.10, got "11"/);
    expect(problem('--input', 'd', '--ratio', 'x')).toMatch(/^--ratio must be a number in 0\.\.1, got "x"/);
    // A negative number is the flag's value, judged against its range (not "needs a value").
    expect(problem('--input', 'd', '--count', '-1')).toMatch(/^--count must be an integer in 1\.\.10, got "-1"/);
    expect(problem('--input', 'd', '--ratio', '-.5')).toMatch(/^--ratio must be a number in 0\.\.1, got "-\.5"/);
    expect(problem('--input', 'd', '--count', '--verbose')).toMatch(/^--count needs a value/);
    expect(parse('--input', '-3')).toMatchObject({ args: { input: '-3' } });
    expect(problem('--input', 'd', '--format', 'xml')).toMatch(/^--format must be one of csv, csv\.gz, got "xml"/);
    expect(problem('--input', 'd', '--verbose=yes')).toMatch(/^--verbose takes no value/);
    expect(problem('medium', '--input', 'd')).toMatch(/^unknown mode "medium" \(have: fast, slow\)/);
    expect(problem('fast', 'slow', '--input', 'd')).toMatch(/^unexpected argument slow/);
    for (const argv of [[], ['--input', 'd', '--bogus'], ['--input', 'd', '--count', '0']]) expect(problem(...argv)).not.toContain('\n');
  });
});

describe('formatHelp', () => {
  it('gives usage, every flag with its meaning, default and example, and the examples', () => {
    const help = formatHelp(spec);
    expect(help.split('\n')[0]).toBe('usage: npm run demo -- [mode] --input DIR [flags]');
    for (const text of [
      'where to read',
      '(required; e.g. --input data)',
      '(integer 1..10; default: 3; e.g. --count 5)',
      '(number 0..1; default: from the config; e.g. --ratio 0.5)',
      '(one of csv, csv.gz; default: csv)',
      '--verbose',
      '(default: off)',
      '-h, --help',
      '  npm run demo -- --input data',
    ]) {
      expect(help).toContain(text);
    }
    expect(Math.max(...help.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});
