// A group's mutation result from the committed per-file reports (bench/mutation-store.ts): every file whose stored
// report is current counts, whichever run (a whole-group run or `--file`) produced it; the others are listed as not
// run, or as stale when a report exists but its file or tests changed since; for an unfinished group, the measured
// rate and how long its remaining mutants would take.
import path from 'node:path';
import { repoRoot } from './lib.ts';
import type { Group } from './mutation-groups.ts';
import { tally, type GroupResult, type MutantLike } from './mutation-report.ts';
import { currentResult, readStore, storeRoot, type RunStamp } from './mutation-store.ts';

/**
 * The group's result over all its `files` (not only those of the last run). `pending` holds the mutant count of
 * files without a current result, when known, for the time estimate. Minutes are the sum of the counted files' runs,
 * the load their time-weighted mean, the date the latest run's.
 */
export function groupResult(
  name: string,
  group: Group,
  files: readonly string[],
  prints: ReadonlyMap<string, string>,
  pending: ReadonlyMap<string, number> = new Map(),
  root = storeRoot,
): GroupResult & { survivors: string[] } {
  const results: MutantLike[] = [];
  const byFile: GroupResult['files'] = {};
  const notRun: string[] = [];
  const stale: string[] = [];
  const runs: RunStamp[] = [];
  for (const file of files) {
    const stored = currentResult(name, file, prints.get(file) ?? '', root);
    if (!stored) (readStore(name, file, root) ? stale : notRun).push(file);
    else {
      results.push(...stored.mutants);
      byFile[file] = tally(stored.mutants);
      if (stored.run) runs.push(stored.run);
    }
  }
  const minutes = runs.reduce((a, r) => a + r.minutes, 0);
  const load = minutes > 0 ? runs.reduce((a, r) => a + r.loadAverage1m * r.minutes, 0) / minutes : 0;
  // The rate from the files' last fresh runs (every mutant tested; a rerun reuses most results).
  const rates = files
    .map((f) => currentResult(name, f, prints.get(f) ?? '', root)?.run?.rate)
    .filter((r) => r !== undefined && r.mutants > 0);
  const freshMinutes = rates.reduce((a, r) => a + r!.minutes, 0);
  const freshMutants = rates.reduce((a, r) => a + r!.mutants, 0);
  const remaining = [...notRun, ...stale].reduce((a, f) => a + (pending.get(f) ?? 0), 0);
  const todo = notRun.length + stale.length;
  const survivors = results
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map(
      (m) =>
        `${path.relative(repoRoot, m.fileName)}:${m.location.start.line} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120)}`,
    )
    .sort();
  return {
    date:
      runs
        .map((r) => r.date)
        .sort()
        .at(-1) ?? new Date().toISOString(),
    command: `npm run mutation -- ${name}`,
    loadAverage1m: Math.round(load * 100) / 100,
    minutes: Math.round(minutes * 100) / 100,
    mutate: group.mutate,
    tests: group.tests,
    ...tally(results),
    filesRun: files.length - todo,
    filesTotal: files.length,
    notRun,
    stale,
    // The rate is measured only over fresh runs of files with mutants; the estimate only when every pending file was counted.
    ...(todo > 0 && freshMutants > 0 && freshMinutes > 0
      ? {
          minutesPerMutant: Math.round((freshMinutes / freshMutants) * 1000) / 1000,
          ...([...notRun, ...stale].every((f) => pending.has(f))
            ? { remainingMutants: remaining, remainingMinutes: Math.round((freshMinutes / freshMutants) * remaining) }
            : {}),
        }
      : {}),
    files: byFile,
    survivors,
  };
}
