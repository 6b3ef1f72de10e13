// Stage configs: YAML files validated at the door by a strict zod schema (unknown keys are errors), defaults in code.
// Errors name the file, the line of the offending key and the problem, as one InputError.
import { existsSync, readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { InputError } from './errors.ts';
import { parseConfig } from './parse-config.ts';

export { parseConfig } from './parse-config.ts';

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
    throw new InputError(
      file,
      undefined,
      code === 'EISDIR' ? 'is a directory, not a config file' : `cannot read config: ${code ?? (err as Error).message}`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(file, e.linePos?.[0].line, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const fromFile: unknown = doc.toJS() ?? {};
  const value =
    Object.keys(overrides).length > 0 && typeof fromFile === 'object' && !Array.isArray(fromFile)
      ? { ...fromFile, ...overrides }
      : fromFile;
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
