// The one CLI layer: every command is a declarative schema (flags with meaning, default, example; an optional
// positional word; examples) parsed by node:util parseArgs, which needs no dependency and loads in no time. This
// module imports nothing heavy: a command's implementation is imported by its `run` only after the flags parsed.
import { parseArgs } from 'node:util';
import { EXIT_USER_ERROR, InputError } from '../core/errors.ts';

interface FlagBase {
  /** What the flag means, one sentence (help text). */
  description: string;
  /** A value a user might give, shown as "e.g." in the help. */
  example?: string;
  required?: boolean;
}

export interface StringFlag extends FlagBase {
  type: 'string';
  /** Placeholder in the help (DIR, FILE, PATH …). */
  value: string;
  default?: string;
  /** The value must be one of these. */
  choices?: readonly string[];
  /** Help text for a default that is not a fixed value ("from the config"). */
  defaultText?: string;
}

export interface NumberFlag extends FlagBase {
  /** integer: digits only; number: any finite decimal. */
  type: 'integer' | 'number';
  value: string;
  default?: number;
  min?: number;
  max?: number;
  defaultText?: string;
}

export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}

export type FlagSpec = StringFlag | NumberFlag | BooleanFlag;
export type Flags = Record<string, FlagSpec>;

/** Optional words after the command (`stage:graphs module-map`, `bench io score`). */
export interface PositionalSpec {
  name: string;
  description: string;
  /** Allowed words; absent = any. */
  choices?: readonly string[];
  /** More than one word allowed. */
  variadic?: boolean;
}

type ValueOf<S> = S extends BooleanFlag
  ? boolean
  : S extends NumberFlag
    ? number
    : S extends { choices: readonly (infer C)[] }
      ? C
      : string;
type Present<S> = S extends BooleanFlag ? true : S extends { required: true } ? true : S extends { default: unknown } ? true : false;

/** The parsed flags of a command: required flags, flags with a default and booleans are always there. */
export type ArgsOf<F extends Flags> = { [K in keyof F as Present<F[K]> extends true ? K : never]: ValueOf<F[K]> } & {
  [K in keyof F as Present<F[K]> extends true ? never : K]?: ValueOf<F[K]>;
};

export interface CommandSpec<F extends Flags = Flags> {
  /** The npm script that runs it (`score`, `stage:tracks`); `start` is `npm start`. */
  name: string;
  /** What it does, a few sentences (first line of the help). */
  summary: string;
  flags: F;
  positional?: PositionalSpec;
  /** Whole command lines, at least one. */
  examples: readonly string[];
  /** Runs the command; imports its implementation itself (`await import(...)`), so parsing stays light. */
  run(args: ArgsOf<F>, positionals: string[]): Promise<void> | void;
}

/** Declares a command; `const` keeps the flag literals so `run` gets typed arguments. */
export function defineCommand<const F extends Flags>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** How users invoke it: `npm start --` or `npm run NAME --`. */
export function invocation(name: string): string {
  return name === 'start' ? 'npm start --' : `npm run ${name} --`;
}

const HELP: BooleanFlag = { type: 'boolean', description: 'print this help and exit' };

function flagLabel(name: string, f: FlagSpec): string {
  return f.type === 'boolean' ? `--${name}` : `--${name} ${f.value}`;
}

function flagDetails(name: string, f: FlagSpec): string {
  const parts: string[] = [];
  if (f.type === 'string' && f.choices) parts.push(`one of ${f.choices.join(', ')}`);
  if (f.type === 'integer' || f.type === 'number') {
    const range = f.min !== undefined && f.max !== undefined ? ` ${f.min}..${f.max}` : f.min !== undefined ? ` ≥ ${f.min}` : '';
    parts.push(`${f.type}${range}`);
  }
  if (f.required) parts.push('required');
  else if (f.type === 'boolean') parts.push('default: off');
  else parts.push(`default: ${f.default ?? f.defaultText ?? 'none'}`);
  if (f.example !== undefined && f.type !== 'boolean') parts.push(`e.g. --${name} ${f.example}`);
  return parts.join('; ');
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

const WIDTH = 100;

/** The text `--help` prints: usage, summary, every flag with its meaning, default and an example, examples. */
export function formatHelp(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags);
  const required = flags.filter(([, f]) => f.required).map(([n, f]) => flagLabel(n, f));
  const p = spec.positional;
  const pos = p ? ` [${p.name}${p.variadic ? ' …' : ''}]` : '';
  const rest = `${pos}${required.length ? ` ${required.join(' ')}` : ''}${flags.length > required.length ? ' [flags]' : ''}`;
  const lines = [
    `usage: ${rest === '' ? invocation(spec.name).replace(/ --$/, '') : invocation(spec.name)}${rest}`,
    '',
    ...wrap(spec.summary, WIDTH),
    '',
  ];
  const item = (label: string, what: string, details?: string) => {
    lines.push(`  ${label}`, ...wrap(what, WIDTH, '      '));
    if (details) lines.push(...wrap(`(${details})`, WIDTH, '      '));
  };
  if (p) {
    lines.push('arguments:');
    const only = p.choices?.length === 1 && p.choices[0] === p.name;
    item(`${p.name}${p.variadic ? ' …' : ''}`, p.description, p.choices && !only ? `one of ${p.choices.join(', ')}` : undefined);
    lines.push('');
  }
  lines.push('flags:');
  for (const [n, f] of flags) item(flagLabel(n, f), f.description, flagDetails(n, f));
  item('-h, --help', HELP.description);
  lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

function userError(spec: CommandSpec, message: string): InputError {
  return new InputError(undefined, undefined, `${message} (${invocation(spec.name)} --help lists the flags)`);
}

function convert(spec: CommandSpec, name: string, f: FlagSpec, raw: string | boolean): string | number | boolean {
  if (f.type === 'boolean') return raw;
  const text = raw as string;
  if (f.type === 'string') {
    if (text === '') throw userError(spec, `--${name} needs a value`);
    if (f.choices && !f.choices.includes(text)) throw userError(spec, `--${name} must be one of ${f.choices.join(', ')}, got "${text}"`);
    return text;
  }
  const v = Number(text);
  const ok = f.type === 'integer' ? /^-?\d+$/.test(text.trim()) && Number.isSafeInteger(v) : text.trim() !== '' && Number.isFinite(v);
  const range = f.min !== undefined && f.max !== undefined ? ` in ${f.min}..${f.max}` : f.min !== undefined ? ` ≥ ${f.min}` : '';
  if (!ok || (f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
    throw userError(spec, `--${name} must be ${f.type === 'integer' ? 'an integer' : 'a number'}${range}, got "${text}"`);
  }
  return v;
}

/** `--flag -3` as `--flag=-3` for a flag that takes a value: parseArgs reads a word starting with a dash as a flag, so
 * a negative number would be reported as a missing value instead of the range it breaks. */
function joinNegativeValues(spec: CommandSpec, words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const f = words[i].startsWith('--') ? spec.flags[words[i].slice(2)] : undefined;
    if (f && f.type !== 'boolean' && i + 1 < words.length && /^-\.?\d/.test(words[i + 1])) out.push(`${words[i]}=${words[++i]}`);
    else out.push(words[i]);
  }
  return out;
}

/** Parses `argv` against the schema: 'help' when --help/-h is there, else the typed flags and the positionals.
 * Every problem is one InputError line naming the flag. */
export function parseCommandArgs<F extends Flags>(
  spec: CommandSpec<F>,
  argv: readonly string[],
): 'help' | { args: ArgsOf<F>; positionals: string[] } {
  // npm passes a literal `--` through in some shells and versions; it never means anything here.
  const words = joinNegativeValues(
    spec,
    argv.filter((a) => a !== '--'),
  );
  if (words.includes('--help') || words.includes('-h')) return 'help';
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, f] of Object.entries(spec.flags)) options[name] = { type: f.type === 'boolean' ? 'boolean' : 'string' };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: words, options, strict: true, allowPositionals: spec.positional !== undefined });
  } catch (err) {
    const e = err as Error & { code?: string };
    const flag = /'(-[^']*)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw userError(spec, `unknown flag ${flag ?? ''}`.trim());
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw userError(spec, `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}`.trim());
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flag?.replace(/^-+/, '').split(' ')[0];
      const f = name === undefined ? undefined : spec.flags[name];
      throw userError(spec, f?.type === 'boolean' ? `--${name} takes no value` : `--${name ?? '?'} needs a value`);
    }
    throw userError(spec, e.message.split('\n')[0]);
  }
  const p = spec.positional;
  if (p) {
    if (!p.variadic && parsed.positionals.length > 1) throw userError(spec, `unexpected argument ${parsed.positionals[1]}`);
    const bad = p.choices ? parsed.positionals.find((w) => !p.choices!.includes(w)) : undefined;
    if (bad !== undefined) throw userError(spec, `unknown ${p.name} "${bad}" (have: ${p.choices!.join(', ')})`);
  }
  const args: Record<string, string | number | boolean> = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    const raw = parsed.values[name];
    if (raw === undefined) {
      if (f.required) throw userError(spec, `--${name} is required`);
      if (f.type === 'boolean') args[name] = false;
      else if (f.default !== undefined) args[name] = f.default;
      continue;
    }
    args[name] = convert(spec, name, f, raw);
  }
  return { args: args as ArgsOf<F>, positionals: parsed.positionals };
}

/** Parses, prints help (exit 0) or runs; user errors are one line on stderr and exit 2, bugs keep their stack. */
export async function runCommand(spec: CommandSpec, argv: readonly string[]): Promise<void> {
  try {
    const parsed = parseCommandArgs(spec, argv);
    if (parsed === 'help') {
      process.stdout.write(formatHelp(spec));
      return;
    }
    await spec.run(parsed.args, parsed.positionals);
  } catch (err) {
    if (err instanceof InputError) {
      // One line, always: some messages (e.g. from a YAML parser) span several.
      process.stderr.write(`error: ${err.message.replace(/\s*\n\s*/g, '; ')}\n`);
      process.exit(EXIT_USER_ERROR);
    }
    // Not the user's fault: keep the stack so the bug can be found.
    console.error(err);
    process.exit(1);
  }
}
