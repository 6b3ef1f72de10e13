// `npm run mutation [-- GROUP …]`: StrykerJS mutation testing of the modules whose bugs cost a wrong result (issue 22),
// one module group at a time, each against its own tests only, one file at a time (bench/mutation-store.ts: each
// file's incremental report is committed as it ends, so hours of work survive a kill and the end of a session).
// Per group: mutants killed / survived / uncovered, the mutation score overall and per file, in
// bench/results/mutation.json (rewritten after every file; groups not run keep their last result), and the surviving
// mutants in reports/mutation/GROUP-survivors.txt. Slow on two shared cores (hours per group): not part of
// `npm test`. Run it niced: `nice -n 10 npm run mutation -- trackml > mutation.log 2>&1 &`.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../src/core/errors.ts';
import { repoRoot, writeResult } from './lib.ts';
import { MUTATION_GROUPS, type Group } from './mutation-groups.ts';
import { mutationMarkdown, pct, type GroupResult, type MutantCount } from './mutation-report.ts';
import { currentResult, fingerprint, groupFiles, mergeStores, readStore, splitIntoStores, writeReport } from './mutation-store.ts';
import { groupResult } from './mutation-summary.ts';

const strykerVersion = (createRequire(import.meta.url)('@stryker-mutator/core/package.json') as { version: string }).version;

export interface MutationOptions {
  /** Only the group's files whose path contains this text. */
  file?: string;
  /** Run files whose stored results are current too (Stryker still reuses the unchanged mutants' results). */
  rerun?: boolean;
}

/**
 * One Stryker run mutating `files`, against the group's tests, in incremental mode from their stored reports
 * (merged into one input file); the run's report is then split back into the files' stores.
 */
async function runBatch(name: string, group: Group, files: string[], incrementalFile: string): Promise<void> {
  const { Stryker } = await import('@stryker-mutator/core');
  const tempDirName = path.join('.stryker-tmp', name);
  // Tests find the real TrackML files at <repo>/../shared/trackml-data; a sandbox is <tempDir>/sandbox-XXXX, so the
  // same relative path resolves through this link.
  const shared = path.resolve(repoRoot, '..', 'shared');
  const link = path.join(repoRoot, tempDirName, 'shared');
  mkdirSync(path.dirname(link), { recursive: true });
  rmSync(link, { force: true });
  if (existsSync(shared)) symlinkSync(shared, link);
  process.env.MUTATION_TESTS = JSON.stringify(group.tests); // read by bench/mutation-vitest.config.ts in each runner
  const stryker = new Stryker({
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The group's tests are chosen in the vitest config (MUTATION_TESTS), not with Stryker's testFiles: with testFiles,
    // Stryker 9.6 activates static mutants (module-level values) after the module loaded, so they falsely survive
    // (stryker-js issue 6144).
    vitest: { related: false, configFile: 'bench/mutation-vitest.config.ts' },
    mutate: files,
    coverageAnalysis: 'perTest',
    // Not ignoreStatic, though static mutants take ~90 % of the time: most are "hybrid" (reached in beforeAll hooks,
    // e.g. a server or fixture built once, and in some tests), and with ignoreStatic those run only in the tests that
    // reach them at run time, against fixtures built without the mutant, so they falsely survive (viewer/server:
    // every mutant of bundle.ts "survived" so).
    incremental: true,
    incrementalFile: path.relative(repoRoot, incrementalFile),
    tempDirName,
    cleanTempDir: 'always',
    // Only what the tests read: the sources, tests, configs and the small shipped data.
    // .build holds the esbuild CLIs (hundreds of files, rebuilt in the sandbox from its instrumented sources anyway).
    ignorePatterns: [
      'runs',
      'trackml-data/generated',
      'reports',
      'bench/results',
      'bench/mutation-incremental',
      'test/artifacts',
      '.stryker-tmp',
      '.build',
      'dist',
      '*.md',
    ],
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // A busy shared box: a mutant's tests may run slower than in the dry run without looping (a mutant that loops
    // forever costs this long, and there are many: loop bounds are mutated too).
    timeoutMS: 10_000,
    timeoutFactor: 2,
    dryRunTimeoutMinutes: 30,
    reporters: ['clear-text', 'progress-append-only'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  });
  await stryker.runMutationTest();
}

interface MutationResultFile {
  groups?: Record<string, GroupResult>;
  counts?: Record<string, MutantCount>;
}

/** Merges a group's result or mutant counts into bench/results/mutation.json, re-read each time (runs take long). */
function record(update: MutationResultFile): void {
  const resultFile = path.join(repoRoot, 'bench', 'results', 'mutation.json');
  const previous = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as MutationResultFile) : {};
  const groups = { ...(previous.groups ?? {}), ...(update.groups ?? {}) };
  const counts = { ...(previous.counts ?? {}), ...(update.counts ?? {}) };
  writeResult('mutation', {
    command: 'npm run mutation -- GROUP',
    target: 0.85,
    groups,
    counts,
    markdown: mutationMarkdown(groups, counts),
  });
}

/** Runs the named groups one after the other, file by file, recording the group's result after each file. */
export async function runMutation(wanted: readonly string[], options: MutationOptions = {}): Promise<void> {
  const unknown = wanted.filter((w) => !(w in MUTATION_GROUPS));
  if (wanted.length === 0 || unknown.length > 0) {
    const what = unknown.length > 0 ? `unknown group ${unknown.join(', ')}` : 'no group named';
    throw new InputError('npm run mutation', undefined, `${what}; the groups are ${Object.keys(MUTATION_GROUPS).join(', ')}`);
  }
  for (const name of wanted) {
    const group = MUTATION_GROUPS[name];
    const files = groupFiles(group);
    const prints = new Map(files.map((f) => [f, fingerprint(group, f, strykerVersion)]));
    const chosen = files.filter((f) => options.file === undefined || f.includes(options.file));
    const todo = chosen.filter((f) => options.rerun || !currentResult(name, f, prints.get(f)!));
    process.stdout.write(
      `\n=== mutation ${name}: ${files.length} files, ${chosen.length} chosen, ${todo.length} to run (the others' stored results are current)\n`,
    );
    const batches = await batchByMutants(todo, BATCH_MUTANTS);
    for (const [i, batch] of batches.entries()) {
      process.stdout.write(`\n--- ${name} batch ${i + 1}/${batches.length}: ${batch.files.join(', ')} (${batch.mutants} mutants)\n`);
      const incrementalFile = path.join(repoRoot, 'reports', 'mutation', `${name}-batch-incremental.json`);
      const merged = mergeStores(name, batch.files);
      rmSync(incrementalFile, { force: true });
      if (merged) writeReport(incrementalFile, merged);
      const load0 = os.loadavg()[0];
      const t0 = Date.now();
      await runBatch(name, group, batch.files, incrementalFile);
      const minutes = (Date.now() - t0) / 60_000;
      // The load at the start and at the end of the run, averaged; the minutes shared out by mutant count.
      const loadAverage1m = Math.round(((load0 + os.loadavg()[0]) / 2) * 100) / 100;
      const date = new Date().toISOString();
      const batchPrints = new Map(batch.files.map((f) => [f, prints.get(f)!]));
      splitIntoStores(name, incrementalFile, batchPrints, (f) => ({
        date,
        fresh: !merged?.files[f],
        minutes: batch.mutants > 0 ? (minutes * (batch.counts.get(f) ?? 0)) / batch.mutants : minutes / batch.files.length,
        loadAverage1m,
      }));
      const result = await summarize(name, group, files, prints);
      process.stdout.write(
        `mutation ${name} after batch ${i + 1}/${batches.length}: ${result.filesRun}/${result.filesTotal} files, score ${pct(result.score)} ` +
          `(${result.killed} killed, ${result.timeout} timeout, ${result.survived} survived, ${result.noCoverage} uncovered)\n`,
      );
    }
    // Nothing to run: the summary is still rebuilt from the stored results (e.g. after a merge brought others' runs).
    if (batches.length === 0) await summarize(name, group, files, prints);
  }
}

/** `--summary`: each named group's summary rebuilt from its stored per-file results; no Stryker run. */
export async function summarizeGroups(wanted: readonly string[]): Promise<void> {
  for (const name of wanted.length > 0 ? wanted : Object.keys(MUTATION_GROUPS)) {
    const group = MUTATION_GROUPS[name];
    const files = groupFiles(group);
    // A group with no stored file keeps its recorded result (scoring's is from before the per-file store).
    if (!files.some((f) => readStore(name, f))) {
      process.stdout.write(`mutation ${name}: no stored per-file result; its recorded summary, if any, is kept\n`);
      continue;
    }
    const prints = new Map(files.map((f) => [f, fingerprint(group, f, strykerVersion)]));
    const r = await summarize(name, group, files, prints);
    process.stdout.write(`mutation ${name}: ${r.filesRun}/${r.filesTotal} files, score ${pct(r.score)} (${r.mutants} mutants)\n`);
  }
}

/**
 * The group's result over every stored current per-file result, recorded in bench/results/mutation.json; its
 * survivors in reports/mutation/GROUP-survivors.txt.
 */
async function summarize(name: string, group: Group, files: string[], prints: Map<string, string>): Promise<GroupResult> {
  const pending = await mutantCounts(files.filter((f) => !currentResult(name, f, prints.get(f)!)));
  const { survivors, ...result } = groupResult(name, group, files, prints, pending);
  mkdirSync(path.join(repoRoot, 'reports', 'mutation'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'reports', 'mutation', `${name}-survivors.txt`), survivors.join('\n') + '\n');
  record({ groups: { [name]: result } });
  return result;
}

/**
 * At most this many mutants per Stryker run: a kill loses one batch at most, while each run pays for one dry run of
 * the group's tests (seconds to two minutes, plus a minute or two copying the sandbox on a loaded box), so small files
 * share a run. MUTATION_BATCH_MUTANTS raises it for a rerun whose results are mostly reused (e.g. after a test change
 * made every stored file stale): one sandbox and dry run for all of them instead of one per 250 mutants.
 */
const BATCH_MUTANTS = Number(process.env.MUTATION_BATCH_MUTANTS) || 250;

interface Batch {
  files: string[];
  mutants: number;
  counts: Map<string, number>;
}

/**
 * The files, fewest mutants first (a run cut short by a deadline leaves as many files done as it can), in consecutive
 * batches of at most `max` mutants (a larger file alone).
 */
async function batchByMutants(files: string[], max: number): Promise<Batch[]> {
  const counts = await mutantCounts(files);
  const batches: Batch[] = [];
  for (const f of [...files].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a.localeCompare(b))) {
    const n = counts.get(f) ?? 0;
    const last = batches.at(-1);
    if (last && last.mutants + n <= max) {
      last.files.push(f);
      last.mutants += n;
      last.counts.set(f, n);
    } else batches.push({ files: [f], mutants: n, counts: new Map([[f, n]]) });
  }
  return batches;
}

type Instrumented = Array<{ fileName: string; mutatorName: string }>;

/** The mutants Stryker's own instrumenter makes of `files` (a dependency of @stryker-mutator/core, same version). */
async function instrument(files: string[]): Promise<Instrumented> {
  const fromCore = createRequire(createRequire(import.meta.url).resolve('@stryker-mutator/core'));
  const { Instrumenter } = (await import(fromCore.resolve('@stryker-mutator/instrumenter'))) as {
    Instrumenter: new (log: unknown) => { instrument(files: unknown[], options: unknown): Promise<{ mutants: Instrumented }> };
  };
  const quiet = () => false;
  const noop = () => undefined;
  const log = { debug: noop, info: noop, warn: noop, error: noop, trace: noop, isDebugEnabled: quiet, isTraceEnabled: quiet };
  const input = files.map((f) => ({ name: f, mutate: true, content: readFileSync(path.join(repoRoot, f), 'utf8') }));
  return (await new Instrumenter(log).instrument(input, { plugins: null, excludedMutations: [], ignorers: [] })).mutants;
}

async function mutantCounts(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await instrument(files)) {
    const f = path.relative(repoRoot, path.resolve(repoRoot, m.fileName));
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}

/** `--count`: each group's mutants per file and mutator, from Stryker's own instrumenter (no test runs, seconds); the
 * totals go to bench/results/mutation.json. */
export async function countMutants(wanted: readonly string[]): Promise<void> {
  const names = wanted.length > 0 ? wanted : Object.keys(MUTATION_GROUPS);
  for (const name of names) {
    const files = groupFiles(MUTATION_GROUPS[name]);
    const mutants = await instrument(files);
    const count = (key: (m: Instrumented[number]) => string) => {
      const c = new Map<string, number>();
      for (const m of mutants) c.set(key(m), (c.get(key(m)) ?? 0) + 1);
      return [...c.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
    };
    process.stdout.write(`${name}: ${mutants.length} mutants in ${files.length} files\n`);
    record({ counts: { [name]: { mutants: mutants.length, files: files.length, date: new Date().toISOString() } } });
    process.stdout.write(`  by file: ${count((m) => path.relative(repoRoot, path.resolve(repoRoot, m.fileName))).join(', ')}\n`);
    process.stdout.write(`  by mutator: ${count((m) => m.mutatorName).join(', ')}\n`);
  }
}
