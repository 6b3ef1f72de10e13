// Stage configs: YAML files validated at the door by a strict zod schema (unknown keys are errors), defaults in code.
// Errors name the file, the line of the offending key and the problem, as one InputError.
import { existsSync, readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.ts';

/** Reads `file` (YAML) and validates it with `schema`. A missing `file` means all defaults. `overrides` (e.g. from
 * command-line flags) replace top-level keys of the file before validation. */
export function loadConfig<S extends z.ZodType>(schema: S, file?: string, overrides: Record<string, unknown> = {}): z.output<S> {
  if (file === undefined) return parseConfig(schema, { ...overrides }, 'defaults');
  if (!existsSync(file)) throw new InputError(file, undefined, 'config file not found');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, undefined, code === 'EISDIR' ? 'is a directory, not a config file' : `cannot read config: ${code ?? (err as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(file, e.linePos?.[0].line, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const fromFile: unknown = doc.toJS() ?? {};
  const value = Object.keys(overrides).length > 0 && typeof fromFile === 'object' && !Array.isArray(fromFile) ? { ...fromFile, ...overrides } : fromFile;
  const lineOf = (keyPath: PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const key of keyPath) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      const range = (pair.key as YamlNode | null)?.range;
      if (range) line = lineCounter.linePos(range[0]).line;
      node = pair.value;
    }
    return line;
  };
  return parseConfig(schema, value, file, lineOf);
}

/** Validates an already-parsed config object (from YAML, JSON or code). */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
  lineOf: (keyPath: PropertyKey[]) => number | undefined = () => undefined,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let keyPath: PropertyKey[] = issue.path;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    keyPath = [...issue.path, issue.keys[0]];
    message = `unknown key (allowed: ${allowedKeys(schema, issue.path).join(', ') || 'none'})`;
  } else if (issue.code === 'invalid_type') {
    // zod's "Invalid input: expected string, received undefined" says neither that the key is missing nor what was there.
    const given = valueAt(value, issue.path);
    message = given === undefined ? `missing (required: ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(given)}`;
  }
  const where = keyPath.length > 0 ? `${keyPath.map(String).join('.')}: ` : '';
  throw new InputError(source, lineOf(keyPath), `${where}${message}`);
}

/** The value at `keyPath` inside `value` (undefined where the path ends early). */
function valueAt(value: unknown, keyPath: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of keyPath) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** A config value as a message shows it: its JSON, cut to 40 characters, and its kind when that is not obvious. */
function describeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return Array.isArray(v) ? `a list ${short}` : v !== null && typeof v === 'object' ? `a mapping ${short}` : short;
}

function allowedKeys(schema: z.ZodType, keyPath: PropertyKey[]): string[] {
  // Walk the schema along the path to list the keys the object accepts; best effort, only for the message.
  let s: unknown = schema;
  for (const key of keyPath) {
    const shape = shapeOf(s);
    if (!shape) return [];
    s = shape[String(key)];
  }
  return Object.keys(shapeOf(s) ?? {});
}

function shapeOf(s: unknown): Record<string, unknown> | undefined {
  let cur = s as { shape?: Record<string, unknown>; unwrap?: () => unknown; def?: { innerType?: unknown } };
  for (let i = 0; i < 5 && cur; i++) {
    if (cur.shape) return cur.shape;
    const inner = cur.def?.innerType ?? (typeof cur.unwrap === 'function' ? cur.unwrap() : undefined);
    if (!inner) return undefined;
    cur = inner as typeof cur;
  }
  return undefined;
}
