// `npm run mutation [-- GROUP …]`: StrykerJS mutation testing of the modules whose bugs cost a wrong result (issue 22),
// one module group at a time, each against its own tests only. Per group: mutants killed / survived / uncovered, the
// mutation score overall and per file, in bench/results/mutation.json (groups not run keep their last result), and the
// surviving mutants in reports/mutation/GROUP-survivors.txt. Slow on two shared cores (minutes to an hour per group):
// not part of `npm test`; incremental, so a re-run only tests mutants whose code or tests changed. Run it niced:
// `nice -n 10 npm run mutation -- scoring > mutation.log 2>&1 &`.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../src/core/errors.ts';
import { repoRoot, writeResult } from './lib.ts';
import { MUTATION_GROUPS, type Group } from './mutation-groups.ts';
import { mutationMarkdown, pct, tally, type GroupResult, type MutantLike } from './mutation-report.ts';

async function runGroup(name: string, group: Group): Promise<GroupResult> {
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
  const loadAverage1m = Math.round(os.loadavg()[0] * 100) / 100;
  const t0 = Date.now();
  const stryker = new Stryker({
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The group's tests are chosen in the vitest config (MUTATION_TESTS), not with Stryker's testFiles: with testFiles,
    // Stryker 9.6 activates static mutants (module-level values) after the module loaded, so they falsely survive
    // (stryker-js issue 6144).
    vitest: { related: false, configFile: 'bench/mutation-vitest.config.ts' },
    mutate: group.mutate,
    coverageAnalysis: 'perTest',
    incremental: true,
    incrementalFile: path.join('reports', 'mutation', `${name}-incremental.json`),
    tempDirName,
    cleanTempDir: 'always',
    // Only what the tests read: the sources, tests, configs and the small shipped data.
    ignorePatterns: ['runs', 'trackml-data/generated', 'reports', 'bench/results', 'test/artifacts', '.stryker-tmp', '*.md'],
    concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
    // A busy shared box: a mutant's tests may run slower than in the dry run without looping (a mutant that loops
    // forever costs this long, and there are many: loop bounds are mutated too).
    timeoutMS: 10_000,
    timeoutFactor: 2,
    dryRunTimeoutMinutes: 30,
    reporters: ['clear-text', 'progress-append-only'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false },
  });
  const results = (await stryker.runMutationTest()) as unknown as MutantLike[];
  const byFile = new Map<string, MutantLike[]>();
  for (const m of results) {
    const rel = path.relative(repoRoot, m.fileName);
    if (!byFile.has(rel)) byFile.set(rel, []);
    byFile.get(rel)!.push(m);
  }
  const survivors = results
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map(
      (m) =>
        `${path.relative(repoRoot, m.fileName)}:${m.location.start.line} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}`,
    )
    .sort();
  mkdirSync(path.join(repoRoot, 'reports', 'mutation'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'reports', 'mutation', `${name}-survivors.txt`), survivors.join('\n') + '\n');
  return {
    date: new Date().toISOString(),
    command: `npm run mutation -- ${name}`,
    loadAverage1m,
    minutes: Math.round((Date.now() - t0) / 600) / 100,
    mutate: group.mutate,
    tests: group.tests,
    ...tally(results),
    files: Object.fromEntries([...byFile.entries()].sort().map(([f, ms]) => [f, tally(ms)])),
  };
}

/** Runs the named groups one after the other, merging each result into bench/results/mutation.json as it ends. */
export async function runMutation(wanted: readonly string[]): Promise<void> {
  const unknown = wanted.filter((w) => !(w in MUTATION_GROUPS));
  if (wanted.length === 0 || unknown.length > 0) {
    const what = unknown.length > 0 ? `unknown group ${unknown.join(', ')}` : 'no group named';
    throw new InputError('npm run mutation', undefined, `${what}; the groups are ${Object.keys(MUTATION_GROUPS).join(', ')}`);
  }
  const resultFile = path.join(repoRoot, 'bench', 'results', 'mutation.json');
  for (const name of wanted) {
    process.stdout.write(`\n=== mutation ${name}\n`);
    const result = await runGroup(name, MUTATION_GROUPS[name]);
    // Merge with the other groups' last results, re-read after each group (runs take long; others may have landed).
    const previous = existsSync(resultFile)
      ? (JSON.parse(readFileSync(resultFile, 'utf8')) as { groups?: Record<string, GroupResult> })
      : {};
    const groups = { ...(previous.groups ?? {}), [name]: result };
    writeResult('mutation', { command: 'npm run mutation -- GROUP', target: 0.85, groups, markdown: mutationMarkdown(groups) });
    process.stdout.write(
      `mutation ${name}: score ${pct(result.score)} (${result.killed} killed, ${result.timeout} timeout, ${result.survived} survived, ${result.noCoverage} uncovered)\n`,
    );
  }
}
