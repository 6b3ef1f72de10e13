// The whole tracking pipeline (read → graph → GNN → tracks → write, plus scoring) on a full simulated MU = 200
// event and on the real 5 % sample event: per-stage wall time, s/event beside the TrackML throughput anchor,
// TrackML score and tracking metrics. With the shipped model (trackml-data/model) when present; a truth-label
// scorer run (labels ± 0.6 noise) isolates the track builder's quality from the GNN's; a run with the GNN's tracks
// extended into the strips only (no seeded tracks, inward pixel hits or overlap hits) shows what those add.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { loadConfig } from '../src/core/config.ts';
import { DEFAULT_MODEL_DIR, pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { runPipeline, THROUGHPUT_ANCHOR, TIMED_STAGES, type PipelineSummary } from '../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { writeEvent } from '../src/trackml/index.ts';
import { trackingRates } from '../src/tracks/index.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const SEED = 4242;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-pipeline-bench-'));
const modelDir = process.env.PIPELINE_BENCH_MODEL ?? path.join(repoRoot, DEFAULT_MODEL_DIR);
const haveModel = existsSync(path.join(modelDir, 'model.json'));
// The shipped pipeline's settings (graph as the model was trained on, track builder); scorer and model vary below.
const base = loadConfig(pipelineConfigSchema, path.join(repoRoot, 'pipelines', 'pipeline-default.yaml'));

/** Three full-pileup events: the first pays the backend's warm-up (wasm compile, JIT), the others show the steady
 * per-event time a run over many events has. */
const SIM_EVENTS = 3;
function simulatedDir(): string {
  const dir = path.join(tmp, 'sim');
  const detector = buildDetectorIndex(loadDetector());
  for (let k = 1; k <= SIM_EVENTS; k++) writeEvent(dir, simulateEvent(detector, simulateConfig({ pileup: 200 }), SEED, k));
  return dir;
}

function realDir(): string {
  const src = path.join(sharedDataDir, 'sample-event');
  if (!existsSync(src)) throw new Error(`real sample event not found at ${src}`);
  const dir = path.join(tmp, 'real');
  mkdirSync(dir, { recursive: true });
  // Link, never copy, the real files (cells are not used by the pipeline).
  for (const kind of ['hits', 'particles', 'truth']) {
    const name = `event000000001-${kind}.csv.gz`;
    symlinkSync(path.join(src, name), path.join(dir, name));
  }
  return dir;
}

/** Two runs into fresh output dirs (no cache); the faster total is kept (a busy box only slows). */
async function run(
  label: string,
  inputDir: string,
  scorer: 'gnn' | 'truth',
  truthNoise = 0.6,
  afterGnnTracks = true,
): Promise<{ label: string; s: PipelineSummary }> {
  let best: PipelineSummary | undefined;
  const wall = (s: PipelineSummary) => s.wallMsPerEvent ?? s.meanTrackingMs;
  for (let rep = 0; rep < 2; rep++) {
    const out = path.join(tmp, `out-${label.replace(/\W+/g, '-')}-${rep}`);
    const tracks = afterGnnTracks
      ? base.tracks
      : {
          ...base.tracks,
          seeds: { ...base.tracks.seeds, enabled: false },
          extend: { ...base.tracks.extend, inwards: false },
          overlaps: { ...base.tracks.overlaps, enabled: false },
        };
    const s = await runPipeline({
      inputDir,
      outputDir: out,
      config: { ...base, tracks, scorer, model: modelDir, truthNoise },
      progress: false,
    });
    if (!best || wall(s) < wall(best)) best = s;
  }
  const s = best!;
  console.log(`${label}: ${s.summaryLine}`);
  return { label, s };
}

function row(r: { label: string; s: PipelineSummary }): Record<string, unknown> {
  const { s } = r;
  const pt1 = s.counts ? trackingRates(s.counts).find((x) => x.ptBin === '> 1') : undefined;
  const pt1Graph = s.graphCounts ? trackingRates(s.graphCounts).find((x) => x.ptBin === '> 1') : undefined;
  const e = s.events[0];
  // Per-event time without the first event (warm-up), when there are several.
  const later = s.events.slice(1);
  const steadyMs = later.length
    ? later.reduce((a, ev) => a + TIMED_STAGES.reduce((t, k) => t + ev.timingsMs[k], 0), 0) / later.length
    : s.meanTrackingMs;
  return {
    events: s.events.length,
    steadySecondsPerEvent: steadyMs / 1000,
    overlapped: s.overlapped,
    wallSecondsPerEvent: s.wallMsPerEvent !== undefined ? s.wallMsPerEvent / 1000 : null,
    steadyWallSecondsPerEvent: s.steadyWallMsPerEvent !== undefined ? s.steadyWallMsPerEvent / 1000 : null,
    label: r.label,
    scorer: s.scorer.label,
    hits: e.hits,
    graphEdges: e.graphEdges,
    threshold: e.threshold,
    score: s.meanScore,
    stageMs: s.meanStageMs,
    evalMs: e.timingsMs.score,
    secondsPerEvent: s.meanTrackingMs / 1000,
    pt1AllHits: pt1,
    pt1GraphHits: pt1Graph,
  };
}

const f = (v: unknown, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');

const runs: { label: string; s: PipelineSummary }[] = [];
const sim = simulatedDir();
const real = realDir();
if (haveModel) {
  runs.push(await run('simulated MU=200, GNN', sim, 'gnn'));
  runs.push(await run('simulated MU=200, GNN tracks into the strips only', sim, 'gnn', 0.6, false));
  runs.push(await run('real sample (5 %), GNN', real, 'gnn'));
}
runs.push(await run('simulated MU=200, truth ± 0.6', sim, 'truth'));
runs.push(await run('real sample (5 %), truth ± 0.6', real, 'truth'));
// The ceiling of this graph and track builder: a perfect edge classifier.
runs.push(await run('simulated MU=200, truth (perfect classifier)', sim, 'truth', 0));
const rows = runs.map(row);

const markdown = [
  '### Pipeline (read → graph → GNN → tracks → write), 2 runs, faster kept',
  '',
  haveModel
    ? `Model: \`${path.relative(repoRoot, modelDir)}\`.`
    : `No model at \`${path.relative(repoRoot, modelDir)}\`: truth-label scorer runs only.`,
  `Anchor: TrackML throughput winner ${THROUGHPUT_ANCHOR.secondsPerEvent} s per real full event on ${THROUGHPUT_ANCHOR.cores} threads at score ${THROUGHPUT_ANCHOR.score} on the real sample. ` +
    'Score = official TrackML score on all hits; eff at pT > 1 GeV (≥ 3 hits) on all hits and on the graph’s (pixel) hits; fake and duplicate rates of pT > 1 GeV tracks on all hits.',
  '',
  `Simulated runs: ${SIM_EVENTS} MU = 200 events, stage times are means over them. "latency" is the sum of an event's stages; "wall" is the run's wall time per event, where an event's tracks run on a second thread while the next event's graph and GNN run (pipeline \`overlap\`); "steady" leaves out the first event, which pays the backend's warm-up.`,
  '',
  `| run | events | hits (first) | edges (first) | ${TIMED_STAGES.map((k) => `${k} ms`).join(' | ')} | latency s/event | steady latency | wall s/event | steady wall | score | eff (all hits) | eff (graph hits) | fake | dup |`,
  `| --- | ---: | ---: | ---: | ${TIMED_STAGES.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ...rows.map((r) => {
    const st = r.stageMs as Record<string, number>;
    const a = r.pt1AllHits as { efficiency: number; fakeRate: number; duplicateRate: number } | undefined;
    const g = r.pt1GraphHits as { efficiency: number } | undefined;
    return `| ${r.label} | ${r.events} | ${r.hits} | ${r.graphEdges} | ${TIMED_STAGES.map((k) => st[k].toFixed(0)).join(' | ')} | ${f(r.secondsPerEvent)} | ${f(r.steadySecondsPerEvent)} | ${f(r.wallSecondsPerEvent)} | ${f(r.steadyWallSecondsPerEvent)} | ${f(r.score, 4)} | ${f(a?.efficiency)} | ${f(g?.efficiency)} | ${f(a?.fakeRate, 4)} | ${f(a?.duplicateRate, 4)} |`;
  }),
].join('\n');
console.log(markdown);
writeResult('pipeline', { haveModel, model: haveModel ? path.relative(repoRoot, modelDir) : null, runs: rows, markdown });
rmSync(tmp, { recursive: true, force: true });
