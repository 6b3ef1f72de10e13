// The committed mutation-testing results: one StrykerJS incremental report per mutated file, in
// bench/mutation-incremental/GROUP/FILE.json (FILE with / as __). Stryker writes its incremental file only when a run
// ends, and a group takes hours on two shared cores, so `npm run mutation` runs one file at a time and keeps each
// file's report as it ends: a killed or timed-out run loses one file at most, and a later session (or clone)
// continues from the committed reports instead of starting over. Each report carries a fingerprint of what decided
// its results (the mutated file, the group's tests, the Stryker version and settings); a file whose fingerprint no longer
// matches is run again (Stryker's incremental mode then re-tests only the mutants whose code or tests changed).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib.ts';
import type { Group } from './mutation-groups.ts';
import type { MutantLike } from './mutation-report.ts';

export const storeRoot = path.join(repoRoot, 'bench', 'mutation-incremental');

/** Where the incremental report of `file` (relative to the repo) in `group` lives. */
export function storeFile(group: string, file: string, root = storeRoot): string {
  return path.join(root, group, `${file.replaceAll('/', '__')}.json`);
}

function listTs(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .sort();
}

/**
 * The group's files, from its `mutate` patterns: a file path, `DIR/**\/*.ts` (every .ts under DIR) or `!PATH`
 * (leave out). Only these pattern forms are used in mutation-groups.ts; anything else is refused.
 */
export function groupFiles(group: Group): string[] {
  const files = new Set<string>();
  const excluded = new Set<string>();
  for (const pattern of group.mutate) {
    if (pattern.startsWith('!')) excluded.add(pattern.slice(1));
    else if (pattern.endsWith('/**/*.ts')) for (const f of listTs(pattern.slice(0, -'/**/*.ts'.length))) files.add(f);
    else if (!pattern.includes('*')) files.add(pattern);
    else throw new Error(`mutation-groups.ts: pattern ${pattern} is not a file, DIR/**/*.ts or !FILE`);
  }
  return [...files].filter((f) => !excluded.has(f)).sort();
}

/** The folders the group's test patterns name (everything in them, helpers included, can change a result). */
function testDirs(group: Group): string[] {
  return [...new Set(group.tests.map((t) => t.slice(0, t.search(/[*{]|[^/]*$/)).replace(/\/$/, '')))].sort();
}

/** A test pattern as a regular expression: `*` (within a folder), `**\/` (any folders), `{a,b}` (alternatives). */
export function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('**/', i)) {
      re += '(?:[^/]+/)*';
      i += 2;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new Error(`mutation-groups.ts: unclosed { in ${pattern}`);
      re += `(?:${pattern
        .slice(i + 1, close)
        .split(',')
        .map((a) => a.replace(/[.+?^$()|[\]\\]/g, '\\$&'))
        .join('|')})`;
      i = close;
    } else re += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The test-side files that decide the group's results: its test files and every other file of their folders that is
 * not a test (helpers, fixtures). Other test files there are left out: mutation runs do not run them, so a change to
 * them (frequent, in a shared folder like test/viewer) must not make the stored results stale.
 */
export function testInputs(group: Group): string[] {
  const patterns = group.tests.map(globRegExp);
  const files: string[] = [];
  for (const dir of testDirs(group)) {
    const abs = path.join(repoRoot, dir);
    const entries = existsSync(abs) && statSync(abs).isDirectory() ? readdirSync(abs, { recursive: true, encoding: 'utf8' }) : [];
    for (const f of entries.map((e) => path.posix.join(dir, e.split(path.sep).join('/'))).sort()) {
      if (!statSync(path.join(repoRoot, f)).isFile()) continue;
      const isTest = /\.(test|spec)\.[cm]?[jt]sx?$/.test(f);
      if (!isTest || patterns.some((p) => p.test(f))) files.push(f);
    }
  }
  return files;
}

/**
 * A hash of what decides `file`'s mutation results: its source, its group's test list, its test files and their
 * folders' helpers (testInputs), the mutation vitest config and the Stryker version. Not the sources it imports:
 * change those and run with --rerun (Stryker's own incremental mode looks at the mutated file and the tests only, too).
 */
export function fingerprint(group: Group, file: string, strykerVersion: string): string {
  const hash = createHash('sha256').update(`stryker ${strykerVersion}\ntests ${JSON.stringify(group.tests)}\n`);
  const hashFile = (f: string) =>
    hash
      .update(`${f}\n`)
      .update(readFileSync(path.join(repoRoot, f)))
      .update('\n');
  hashFile(file);
  // How the tests run under Stryker (which tests, in what order, what counts as a failure).
  hashFile('bench/mutation-vitest.config.ts');
  for (const f of testInputs(group)) hashFile(f);
  return hash.digest('hex');
}

/** How one file's run went: when, how long, under what load. */
export interface RunStamp {
  date: string;
  minutes: number;
  loadAverage1m: number;
  /** The file had no stored result before: every mutant was tested (a rerun reuses most results, so its minutes say
   * nothing of the rate). */
  fresh?: boolean;
  /** Minutes and mutants of the file's last fresh run, kept across reruns: the measured rate. */
  rate?: { minutes: number; mutants: number };
}

interface StoredMutant extends Omit<MutantLike, 'fileName'> {
  coveredBy?: string[];
  killedBy?: string[];
  /** Reached at module load: no per-test coverage, all tests run. */
  static?: boolean;
}
interface StoredTestFile {
  source?: string;
  tests: Array<{ id: string; name: string }>;
}
/** Stryker's incremental report (mutation-testing-report-schema) plus our fingerprint and run stamp. */
export interface StoredReport {
  fingerprint?: string;
  run?: RunStamp;
  schemaVersion?: string;
  thresholds?: unknown;
  projectRoot?: string;
  files: Record<string, { mutants: StoredMutant[] }>;
  testFiles?: Record<string, StoredTestFile>;
}

export function readStore(group: string, file: string, root = storeRoot): StoredReport | undefined {
  const f = storeFile(group, file, root);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as StoredReport) : undefined;
}

/**
 * One incremental report for a Stryker run over several files, from their stored reports (current or not: Stryker
 * re-tests what changed). Test ids are only unique within one report, so the tests are renumbered by test file and
 * name, and each mutant's coveredBy / killedBy with them. Undefined when no file has a stored report.
 */
export function mergeStores(group: string, files: readonly string[], root = storeRoot): StoredReport | undefined {
  const stores = files.map((f) => readStore(group, f, root)).filter((r): r is StoredReport => r !== undefined);
  if (stores.length === 0) return undefined;
  const idByKey = new Map<string, string>();
  const testFiles: Record<string, StoredTestFile> = {};
  const merged: StoredReport = { ...stores[0], files: {}, testFiles, fingerprint: undefined, run: undefined };
  for (const store of stores) {
    const newId = new Map<string, string>();
    for (const [testFile, tf] of Object.entries(store.testFiles ?? {})) {
      testFiles[testFile] ??= { ...tf, tests: [] };
      for (const t of tf.tests) {
        const key = `${testFile}\0${t.name}`;
        if (!idByKey.has(key)) {
          idByKey.set(key, String(idByKey.size));
          testFiles[testFile].tests.push({ ...t, id: idByKey.get(key)! });
        }
        newId.set(t.id, idByKey.get(key)!);
      }
    }
    const remap = (ids?: string[]) => ids?.map((id) => newId.get(id)).filter((id): id is string => id !== undefined);
    for (const [name, f] of Object.entries(store.files)) {
      // A static mutant that survived is left out, so it is tested again: it has no per-test coverage, so Stryker's
      // incremental mode would reuse its "survived" however many tests were added since (stryker-js reuses a result
      // when the tests covering the mutant are unchanged, and for a static mutant that set is empty).
      const mutants = f.mutants.filter((m) => !(m.static && (m.status === 'Survived' || m.status === 'NoCoverage')));
      merged.files[name] = { ...f, mutants: mutants.map((m) => ({ ...m, coveredBy: remap(m.coveredBy), killedBy: remap(m.killedBy) })) };
    }
  }
  return merged;
}

/** Writes a report atomically, compactly (one line: these files are data, read by Stryker and this module). */
export function writeReport(file: string, report: StoredReport): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(report) + '\n');
  renameSync(`${file}.tmp`, file);
}

/**
 * Splits the incremental report of a run over several files into one stored report per file (each with all the
 * tests, which its mutants' coveredBy / killedBy name), with the file's fingerprint and run stamp.
 */
export function splitIntoStores(
  group: string,
  reportFile: string,
  prints: Map<string, string>,
  run: (file: string) => RunStamp,
  root = storeRoot,
): void {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as StoredReport & {
    config?: unknown;
    framework?: { name?: string; version?: string };
  };
  // Stryker's whole config and its logo (framework.branding) are not needed to continue: left out of the stores.
  const { config: _config, framework, files, ...rest } = report;
  Object.assign(rest, { framework: { name: framework?.name, version: framework?.version } });
  for (const [file, f] of Object.entries(files)) {
    const print = prints.get(file);
    if (print === undefined) continue; // not one of this run's files
    const stamp = run(file);
    const rate = stamp.fresh ? { minutes: stamp.minutes, mutants: f.mutants.length } : readStore(group, file, root)?.run?.rate;
    writeReport(storeFile(group, file, root), {
      ...rest,
      files: { [file]: f },
      fingerprint: print,
      run: { ...stamp, ...(rate ? { rate } : {}) },
    });
  }
  // A file without a mutant may be missing from Stryker's report: stored empty, so it counts as run.
  for (const [file, print] of prints) {
    if (!(file in files))
      writeReport(storeFile(group, file, root), { ...rest, files: { [file]: { mutants: [] } }, fingerprint: print, run: run(file) });
  }
}

/** The mutants of `file` and its run stamp from its stored report, when that report is current (fingerprint matches). */
export function currentResult(
  group: string,
  file: string,
  print: string,
  root = storeRoot,
): { mutants: MutantLike[]; run?: RunStamp } | undefined {
  const report = readStore(group, file, root);
  if (!report || report.fingerprint !== print) return undefined;
  const mutants = Object.entries(report.files).flatMap(([name, f]) =>
    f.mutants.map((m) => ({ ...m, fileName: path.resolve(repoRoot, name) })),
  );
  return { mutants, run: report.run };
}
