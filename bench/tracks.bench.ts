// Track building alone (buildEventTracks: graph tracks, strip extension, seeds, inward hits, overlaps, late round)
// on the shipped model's saved graphs and edge scores: CPU time per event (process.cpuUsage around the call, min of
// REPEATS), each step's CPU time, and the sha256 of the submission it writes, compared with the one the pipeline
// wrote beside the graphs. Inputs are pipeline output directories with `saveGraphs: true`; made once (GNN on the
// fastest backend) under trackml-data/generated/bench-tracks/ when missing: the four shared real full events and
// three simulated MU = 200 events (seed 1, as `npm start`). TRACKS_BENCH_RUNS=dir1,dir2 times other runs instead;
// TRACKS_BENCH_REPEATS sets the repetitions (7).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGraph } from '../src/gnn/stage.ts';
import { readEdgeScores } from '../src/core/edge-score-read.ts';
import { edgeScoresFileName, readProvenance, recordFileName, submissionFileName } from '../src/core/run-files.ts';
import { loadConfig } from '../src/core/config.ts';
import { pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { runPipeline } from '../src/pipeline/run-pipeline.ts';
import { findEvents, formatCsv, readHits, writeEvent } from '../src/trackml/index.ts';
import { SUBMISSION_COLUMNS } from '../src/trackml/read.ts';
import { buildEventTracks, tracksConfigSchema } from '../src/tracks/index.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const REPEATS = Number(process.env.TRACKS_BENCH_REPEATS ?? 7);
const benchDir = path.join(repoRoot, 'trackml-data', 'generated', 'bench-tracks');

/** Runs the pipeline with saved graphs on `input` into `output` unless its saved graphs are there already, made with
 * today's default track-building settings (else its submissions, the reference of "identical", are stale). */
async function ensureRun(input: string, output: string): Promise<void> {
  const events = findEvents(input).filter((e) => e.hits);
  const base = loadConfig(pipelineConfigSchema, path.join(repoRoot, 'pipelines', 'pipeline-default.yaml'));
  const sameTracks = (): boolean => {
    const prov = readProvenance(output, 'pipeline') as { config?: { tracks?: unknown } } | undefined;
    return JSON.stringify(prov?.config?.tracks) === JSON.stringify(base.tracks);
  };
  if (events.every((e) => existsSync(path.join(output, edgeScoresFileName(e.eventId)))) && sameTracks()) return;
  process.stdout.write(`making saved graphs and edge scores: ${input} → ${output}\n`);
  await runPipeline({ inputDir: input, outputDir: output, config: { ...base, saveGraphs: true }, progress: false });
}

async function defaultRuns(): Promise<{ label: string; dir: string }[]> {
  const runs: { label: string; dir: string }[] = [];
  const full = path.join(sharedDataDir, 'full-events');
  if (existsSync(full)) {
    await ensureRun(full, path.join(benchDir, 'full'));
    runs.push({ label: 'real full', dir: path.join(benchDir, 'full') });
  } else process.stdout.write(`no real full events at ${full}: simulated events only\n`);
  const simEvents = path.join(benchDir, 'sim-events');
  if (!existsSync(simEvents)) {
    const detector = buildDetectorIndex(loadDetector());
    for (let k = 0; k < 3; k++) writeEvent(simEvents, simulateEvent(detector, simulateConfig({ pileup: 200 }), 1, k));
  }
  await ensureRun(simEvents, path.join(benchDir, 'sim'));
  runs.push({ label: 'simulated MU = 200', dir: path.join(benchDir, 'sim') });
  return runs;
}

const sha256 = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const runs = process.env.TRACKS_BENCH_RUNS
  ? process.env.TRACKS_BENCH_RUNS.split(',').map((dir) => ({ label: path.basename(dir), dir: path.resolve(dir) }))
  : await defaultRuns();
const loadStart = os.loadavg()[0];
const events: Record<string, unknown>[] = [];
for (const run of runs) {
  const prov = readProvenance(run.dir, 'pipeline') as { inputs: string[]; config: { tracks: unknown } };
  const input = path.resolve(repoRoot, prov.inputs[0]);
  for (const files of findEvents(input).filter((e) => e.hits)) {
    const record = JSON.parse(readFileSync(path.join(run.dir, recordFileName(files.eventId, 'pipeline')), 'utf8'));
    const config = { ...tracksConfigSchema.parse(prov.config.tracks), threshold: record.threshold as number };
    const hits = readHits(files.hits!);
    const graph = readGraph(run.dir, files.eventId);
    const scores = readEdgeScores(path.join(run.dir, edgeScoresFileName(files.eventId)));
    const cpu: number[] = [];
    const wall: number[] = [];
    const steps: Record<string, number>[] = [];
    // Every repetition's submission is hashed: the first (cold) call must give the same tracks as the warm ones.
    const shas = new Set<string>();
    for (let rep = 0; rep < REPEATS; rep++) {
      const stepMs: Record<string, number> = {};
      const c0 = cpuMs();
      const t0 = performance.now();
      const trackId = buildEventTracks(hits, graph, scores, config, { ms: stepMs, clock: cpuMs });
      wall.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
      steps.push(stepMs);
      shas.add(sha256(Buffer.from(formatCsv(SUBMISSION_COLUMNS, [hits.hitId, trackId]), 'latin1')));
    }
    const best = cpu.indexOf(Math.min(...cpu));
    const submissionSha = [...shas].join(',');
    const stored = path.join(run.dir, submissionFileName(files.eventId));
    const storedSha = existsSync(stored) ? sha256(readFileSync(stored)) : undefined;
    const ev = {
      set: run.label,
      eventId: files.eventId,
      hits: hits.hitId.length,
      graphEdges: graph.src.length,
      cpuMinMs: Math.min(...cpu),
      cpuMedianMs: [...cpu].sort((a, b) => a - b)[cpu.length >> 1],
      wallMinMs: Math.min(...wall),
      stepsMs: steps[best],
      submissionSha,
      identical: storedSha === undefined ? undefined : storedSha === submissionSha,
    };
    events.push(ev);
    process.stdout.write(
      `${run.label} ${files.eventId}: ${hits.hitId.length} hits, CPU min ${ev.cpuMinMs.toFixed(0)} ms (median ${ev.cpuMedianMs.toFixed(0)}), wall min ${ev.wallMinMs.toFixed(0)} ms; ` +
        `${Object.entries(ev.stepsMs)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(
            ', ',
          )}; submission ${shas.size > 1 ? `DIFFERS between repetitions (${shas.size} versions)` : ev.identical === undefined ? 'no reference' : ev.identical ? 'identical' : 'DIFFERS'}\n`,
    );
  }
}
const loadEnd = os.loadavg()[0];
const command = process.env.TRACKS_BENCH_RUNS
  ? `TRACKS_BENCH_RUNS=${process.env.TRACKS_BENCH_RUNS} npm run bench -- tracks`
  : 'npm run bench -- tracks';
const file = writeResult('tracks', {
  command,
  repeats: REPEATS,
  loadAverage1mStart: round2(loadStart),
  loadAverage1mEnd: round2(loadEnd),
  events,
  markdown: markdown(),
});
process.stdout.write(
  `wrote ${path.relative(repoRoot, file)} (load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})\n`,
);

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The BENCHMARKS.md section (bench/summary.ts prints it with the machine line). */
function markdown(): string {
  // The steps in the order they run; 'seed search' (part of seeds and late) last.
  const stepNames = [...new Set(events.flatMap((e) => Object.keys(e.stepsMs as Record<string, number>)))].sort(
    (a, b) => Number(a === 'seed search') - Number(b === 'seed search'),
  );
  const lines = [
    '## Track building',
    '',
    `buildEventTracks alone (graph tracks, strip extension, seeds, inward hits, overlaps, late round) on the shipped model's saved graphs and edge scores; CPU time of the process around the call (process.cpuUsage), min and median of ${REPEATS}, and each step's CPU time in the fastest repetition ("seed search": the seed searches' share of seeds and late, the rest of those two steps being the helix walks). Target ≤ 300 ms per real full event (goal ≤ 150 ms). "Identical": every repetition's submission has the sha256 of the one the pipeline wrote beside the graphs. The box was shared: load average ${round2(loadStart)} at the start, ${round2(loadEnd)} at the end; CPU times on a loaded box run above those on a quiet one.`,
    '',
    `| events | event | hits | CPU min | CPU median | ${stepNames.join(' | ')} | submission |`,
    `| --- | --- | --- | --- | --- | ${stepNames.map(() => '---').join(' | ')} | --- |`,
  ];
  for (const e of events) {
    const st = e.stepsMs as Record<string, number>;
    lines.push(
      `| ${e.set} | ${e.eventId} | ${(e.hits as number).toLocaleString('en-US')} | ${(e.cpuMinMs as number).toFixed(0)} ms | ${(e.cpuMedianMs as number).toFixed(0)} ms | ${stepNames.map((k) => (st[k] ?? 0).toFixed(0)).join(' | ')} | ${e.identical === undefined ? '—' : e.identical ? 'identical' : 'differs'} |`,
    );
  }
  return lines.join('\n');
}
