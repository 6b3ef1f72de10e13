// Score versus time of the tracking pipelines (issue 15): each pipeline config of PIPELINE_GNN_CONFIGS (default: the
// pixel pT > 1 preset, the default, the GNN-only research config and the candidates) on simulated MU = 200 test events
// never used for a choice (seed 31337), on the real sample event (score) and on the shared real full events (time
// per event, steady = after the first). One run each (the box is shared: the load average is recorded); also each
// config with a perfect edge classifier (scores = truth labels), the ceiling of its graph and track builder.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { runPipeline, TIMED_STAGES, type PipelineSummary } from '../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { findEvents, writeEvent } from '../src/trackml/index.ts';
import { trackingRates } from '../src/tracks/index.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const SEED = 31337;
const nTest = Number(process.env.PIPELINE_GNN_EVENTS ?? 3);
const configs = (process.env.PIPELINE_GNN_CONFIGS ?? 'pipeline-pixel-pt1,pipeline-default,pipeline-gnn-only').split(',');
const perfect = (process.env.PIPELINE_GNN_PERFECT ?? '1') === '1';
const realFullOn = (process.env.PIPELINE_GNN_REAL_FULL ?? '1') === '1';
const log = (s: string) => process.stdout.write(s + '\n');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-pipeline-gnn-'));

const simDir = path.join(tmp, 'sim');
const det = buildDetectorIndex(loadDetector());
for (let k = 1; k <= nTest; k++) writeEvent(simDir, simulateEvent(det, simulateConfig({ pileup: 200 }), SEED, k));
const realDir = path.join(tmp, 'real');
mkdirSync(realDir, { recursive: true });
const sampleDir = path.join(sharedDataDir, 'sample-event');
if (existsSync(sampleDir))
  for (const kind of ['hits', 'particles', 'truth'])
    symlinkSync(path.join(sampleDir, `event000000001-${kind}.csv.gz`), path.join(realDir, `event000000001-${kind}.csv.gz`));
const fullDir = path.join(sharedDataDir, 'full-events');
const haveFull = realFullOn && existsSync(fullDir) && findEvents(fullDir).length > 0;

function steadyMs(s: PipelineSummary): number {
  const later = s.events.slice(1);
  const evs = later.length ? later : s.events;
  return evs.reduce((a, ev) => a + TIMED_STAGES.reduce((t, k) => t + ev.timingsMs[k], 0), 0) / evs.length;
}

const rows: Record<string, unknown>[] = [];
for (const name of configs) {
  const file = path.join(repoRoot, 'pipelines', `${name}.yaml`);
  const config = loadConfig(pipelineConfigSchema, file);
  const go = async (label: string, input: string, scorer: 'gnn' | 'truth') => {
    const out = path.join(tmp, `${name}-${label}-${scorer}`);
    const s = await runPipeline({ inputDir: input, outputDir: out, config: { ...config, scorer, truthNoise: 0 }, progress: false });
    log(`${name} ${label} ${scorer}: ${s.summaryLine}`);
    return s;
  };
  const sim = await go('sim', simDir, config.scorer);
  const real = existsSync(sampleDir) ? await go('real', realDir, config.scorer) : undefined;
  const full = haveFull ? await go('full', fullDir, config.scorer) : undefined;
  const ceiling = perfect && config.scorer === 'gnn' ? await go('sim', simDir, 'truth') : undefined;
  const pt1 = (s: PipelineSummary | undefined) => (s?.counts ? trackingRates(s.counts).find((r) => r.ptBin === '> 1') : undefined);
  rows.push({
    config: name,
    graph: config.graph,
    filter: config.filter ?? null,
    model: config.model,
    method: config.tracks.method,
    seeds: config.tracks.seeds.enabled,
    simulated: {
      score: sim.meanScore,
      pt1: pt1(sim),
      stageMs: sim.meanStageMs,
      steadyMs: steadyMs(sim),
      wallMsPerEvent: sim.wallMsPerEvent,
      steadyWallMsPerEvent: sim.steadyWallMsPerEvent,
      edges: sim.events.map((e) => e.graphEdges),
    },
    realSample: real ? { score: real.meanScore, pt1: pt1(real) } : undefined,
    realFull: full
      ? {
          events: full.events.length,
          stageMs: full.meanStageMs,
          steadyMs: steadyMs(full),
          wallMsPerEvent: full.wallMsPerEvent,
          steadyWallMsPerEvent: full.steadyWallMsPerEvent,
          edges: full.events.map((e) => e.graphEdges),
        }
      : undefined,
    perfect: ceiling ? { score: ceiling.meanScore, pt1: pt1(ceiling) } : undefined,
  });
}

const f = (v: number | undefined | null, d = 3) => (v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(d));
const s1 = (v: number | undefined) => (v === undefined ? '–' : `${(v / 1000).toFixed(2)} s`);
const markdown = [
  '## Score versus time (pipelines, issue 15)',
  '',
  `Each pipeline config on ${nTest} simulated MU = 200 test events (seed ${SEED}, never used for a choice), the real sample event and the shared real full events (${haveFull ? findEvents(fullDir).length : 0}, no truth: time only). "steady" = mean stage-time sum per event after the first; "wall" = the run's wall time per event with tracks overlapping the next event's GNN. Perfect classifier = the same graph and track builder with edge scores = truth labels. pT > 1 rates: efficiency / fake rate of particles with ≥ 3 hits.`,
  '',
  '| config | graph | tracks | score sim | score real sample | pT>1 eff / fake (sim) | perfect classifier (sim) | edges/event sim / real | GNN ms (real full) | tracks ms (real full) | steady s/event real full | wall s/event real full |',
  '| --- | --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ...rows.map((r: any) => {
    const g = r.graph;
    const graph = `${g.builder}${g.builder !== 'geometric' ? ` pT ≥ ${g.moduleMap.learnMinPtGeV}` : ` ${g.preset}`} ${g.detector}${r.filter ? ' + filter' : ''}`;
    const tracks = `${r.method}${r.seeds ? ' + seed-and-follow' : ''}`;
    const meanEdges = (a?: number[]) => (a && a.length ? `${Math.round(a.reduce((x, y) => x + y, 0) / a.length / 1000)} k` : '–');
    return `| ${r.config} | ${graph} | ${tracks} | ${f(r.simulated.score, 4)} | ${f(r.realSample?.score, 4)} | ${f(r.simulated.pt1?.efficiency)} / ${f(r.simulated.pt1?.fakeRate, 4)} | ${f(r.perfect?.score, 4)} | ${meanEdges(r.simulated.edges)} / ${meanEdges(r.realFull?.edges)} | ${f(r.realFull?.stageMs.gnn, 0)} | ${f(r.realFull?.stageMs.tracks, 0)} | ${s1(r.realFull?.steadyMs)} | ${s1(r.realFull?.steadyWallMsPerEvent ?? r.realFull?.wallMsPerEvent)} |`;
  }),
].join('\n');
log(markdown);
writeResult('pipeline-gnn', { seed: SEED, events: nTest, runs: rows, markdown });
rmSync(tmp, { recursive: true, force: true });
