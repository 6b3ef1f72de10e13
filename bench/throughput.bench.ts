// Throughput on the shared real full events (issue #16's table): `npm run pipeline` on 3 events as a child process
// (whole process ÷ 3, peak RSS of the process tree), per-stage times, steady time per event (6 events, after each
// worker's first), both parallel settings (events on one worker per core vs one event at a time with its tracks on
// a second thread), GNN per event per engine (ort-cpu vs tfjs wasm, triplet and edge inputs included), `npm run -s
// score` as a whole process on a full event, and the TrackML score on simulated test events and the real sample
// so that a speed-up that costs accuracy shows. Wall times on a shared box are noisy: each timed run is done twice
// and the faster kept, CPU times are given beside, and the load average at start and end.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { openEngine, type EdgeEngine } from '../src/gnn/engine.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { buildGraph, makeGraphContext, type Graph } from '../src/graph/index.ts';
import { DEFAULT_MODEL_DIR, pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { runPipeline, THROUGHPUT_ANCHOR } from '../src/pipeline/run-pipeline.ts';
import { timelineChart } from '../src/pipeline/timeline.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { findEvents, readEvent, writeEvent } from '../src/trackml/index.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-throughput-'));
const loadAtStart = os.loadavg()[0];
const fullDir = path.join(sharedDataDir, 'full-events');
if (!existsSync(fullDir)) throw new Error(`real full events not found at ${fullDir}`);
const realEvents = findEvents(fullDir).filter((e) => e.hits);
const modelDir = path.join(repoRoot, DEFAULT_MODEL_DIR);
const base = loadConfig(pipelineConfigSchema, path.join(repoRoot, 'pipelines', 'pipeline-default.yaml'));
const probe = path.join(repoRoot, 'bench', 'rss-probe.mjs');
const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
/** Runs per pipeline setting, the faster kept (THROUGHPUT_REPEATS=1 halves the benchmark's time on a busy box). */
const REPEATS = Math.max(1, Number(process.env.THROUGHPUT_REPEATS ?? 2));

/** A directory of links to `count` real full events' hits, cycling through them under new ids past the fourth. */
function realDir(name: string, count: number): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (let k = 0; k < count; k++) {
    const src = realEvents[k % realEvents.length];
    const id = k < realEvents.length ? src.eventId : `event${String(900_000_000 + k).padStart(9, '0')}`;
    symlinkSync(src.hits!, path.join(dir, `${id}-hits.csv.gz`));
  }
  return dir;
}

interface ChildRun {
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  report?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** `npm run -s <args>` as a child process: wall time, CPU time and peak RSS of every node process under it (each
 * writes its resource usage at exit through bench/rss-probe.mjs). */
function npmRun(args: string[]): ChildRun {
  const probeDir = mkdtempSync(path.join(tmp, 'probe-'));
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', '-s', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      RSS_PROBE_DIR: probeDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${new URL(`file://${probe}`).href}`.trim(),
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`npm run ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const usages = readdirSync(probeDir).map((f) => JSON.parse(readFileSync(path.join(probeDir, f), 'utf8')) as NodeJS.ResourceUsage);
  return {
    wallS,
    cpuS: usages.reduce((s, u) => s + (u.userCPUTime + u.systemCPUTime) / 1e6, 0),
    peakRssMiB: Math.max(...usages.map((u) => u.maxRSS / 1024)),
  };
}

/** `npm run pipeline` on `dir` with `config` (YAML overrides), twice into fresh outputs; the faster kept. */
function pipelineRun(label: string, dir: string, config: Record<string, unknown>): ChildRun & { label: string } {
  const cfgFile = path.join(tmp, `${label.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(
    cfgFile,
    Object.entries(config)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n') + '\n',
  );
  let best: (ChildRun & { label: string }) | undefined;
  for (let rep = 0; rep < REPEATS; rep++) {
    const out = path.join(tmp, `out-${label.replace(/\W+/g, '-')}-${rep}`);
    const r = npmRun(['pipeline', '--', '--input', dir, '--output', out, '--config', cfgFile]);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    // The main thread's phases (start-up, context, events, report), from the run's provenance.
    const prov = JSON.parse(readFileSync(path.join(out, 'provenance-pipeline.json'), 'utf8'));
    report.processMs = prov.results?.processMs;
    // Which thread ran which event's stage when (100 ms per character; R read, G graph, N GNN, T tracks, W write).
    for (const line of timelineChart(prov.results?.timeline ?? [], 100)) console.log(`  ${line}`);
    console.log(
      `${label} (${rep + 1}/${REPEATS}): ${r.wallS.toFixed(2)} s wall, ${r.cpuS.toFixed(2)} s CPU, ${r.peakRssMiB.toFixed(0)} MiB; ${report.summary}`,
    );
    if (!best || r.wallS < best.wallS) best = { ...r, report, label };
  }
  return best!;
}

function stageRow(r: ChildRun & { label: string }, events: number): Record<string, unknown> {
  const rep = r.report!;
  const evs = rep.events as { timingsMs: Record<string, number>; graphEdges: number }[];
  return {
    label: r.label,
    events,
    wholeProcessSecondsPerEvent: round(r.wallS / events),
    cpuSecondsPerEvent: round(r.cpuS / events),
    peakRssMiB: Math.round(r.peakRssMiB),
    wallSecondsPerEventInRun: rep.wallSecondsPerEvent,
    steadyWallSecondsPerEvent: rep.steadyWallSecondsPerEvent,
    meanStageMs: rep.meanStageMs,
    meanEdges: Math.round(evs.reduce((s, e) => s + e.graphEdges, 0) / evs.length),
    processMs: rep.processMs,
  };
}

// 1. Whole process on 3 real full events, both parallel settings; 2. steady on 6 (4 real, 2 repeated).
const settings: [string, Record<string, unknown>][] = [
  ['events on one worker per core (workers: auto)', { workers: 'auto' }],
  ['one event at a time, tracks on a second thread (workers: 1)', { workers: 1 }],
];
const dir3 = realDir('real3', 3);
const dir6 = realDir('real6', 6);
// Threads × workers without oversubscribing 2 cores: 2 workers × 1 GNN thread, 1 worker × 1, 1 worker × 2 (the GNN's
// edges in 2 parts, src/gnn/onnx-engine.ts; the tracks thread then shares the cores with it).
const threaded: [string, Record<string, unknown>] = [
  'one event at a time, GNN on 2 threads (workers: 1, gnnThreads: 2)',
  { workers: 1, gnnThreads: 2 },
];
// The tracks worker's warm-up on the first event's thinned hits (config warmUp, default true) against none.
const cold: [string, Record<string, unknown>] = [
  'one event at a time, no tracks warm-up (workers: 1, warmUp: false)',
  { workers: 1, warmUp: false },
];
const whole = [...settings, threaded, cold].map(([label, cfg]) => stageRow(pipelineRun(`3 real, ${label}`, dir3, cfg), 3));
const steady = settings.map(([label, cfg]) => stageRow(pipelineRun(`6 real, ${label}`, dir6, cfg), 6));

// 3. GNN per real full event per engine, graphs built as the pipeline builds them; min of the repeats, CPU beside.
const ctx = makeGraphContext(base.graph, 'pipeline-default.yaml');
const graphs: Graph[] = realEvents.map((e) => buildGraph(readEvent(e, ['hits']), ctx, base.graph));
async function gnnTimes(
  engine: EdgeEngine,
  repeats: number,
  events: number,
): Promise<Record<string, unknown> & { engine: string; threads: number; meanMinMs: number; meanMinCpuMs: number }> {
  await engine.classify(graphs[0]); // warm-up (session arena, JIT, wasm compile)
  const per = [];
  for (const g of graphs.slice(0, events)) {
    let minMs = Infinity;
    let minCpuMs = Infinity;
    for (let rep = 0; rep < repeats; rep++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await engine.classify(g);
      minMs = Math.min(minMs, performance.now() - t0);
      const c = process.cpuUsage(c0);
      minCpuMs = Math.min(minCpuMs, (c.user + c.system) / 1000);
    }
    per.push({ eventId: g.eventId, edges: g.src.length, minMs: round(minMs, 1), minCpuMs: round(minCpuMs, 1) });
  }
  await engine.release();
  return {
    engine: engine.engine,
    threads: engine.threads ?? 1,
    events: per,
    meanMinMs: round(per.reduce((s, p) => s + p.minMs, 0) / per.length, 1),
    meanMinCpuMs: round(per.reduce((s, p) => s + p.minCpuMs, 0) / per.length, 1),
  };
}
const gnn = [
  await gnnTimes(await openEngine(modelDir, 'ort-cpu', { threads: 1 }), 3, graphs.length),
  await gnnTimes(await openEngine(modelDir, 'ort-cpu', { threads: 2 }), 3, graphs.length),
  await gnnTimes(await openEngine(modelDir, 'wasm'), 2, 2),
];
for (const g of gnn)
  console.log(`GNN ${g.engine} (${g.threads} thread(s)): ${g.meanMinMs} ms per real full event (CPU ${g.meanMinCpuMs} ms)`);

// 4. Accuracy: the default pipeline on the pipeline benchmark's simulated events (seed 4242, 1–3) and the real sample.
const detector = buildDetectorIndex(loadDetector());
const simDir = path.join(tmp, 'sim');
for (let k = 1; k <= 3; k++) writeEvent(simDir, simulateEvent(detector, simulateConfig({ pileup: 200 }), 4242, k));
const simFirst = findEvents(simDir)[0];
const sampleDir = path.join(tmp, 'sample');
mkdirSync(sampleDir);
for (const kind of ['hits', 'particles', 'truth'])
  symlinkSync(
    path.join(sharedDataDir, 'sample-event', `event000000001-${kind}.csv.gz`),
    path.join(sampleDir, `event000000001-${kind}.csv.gz`),
  );
const sim = await runPipeline({ inputDir: simDir, outputDir: path.join(tmp, 'out-sim'), config: base, progress: false });
const sample = await runPipeline({ inputDir: sampleDir, outputDir: path.join(tmp, 'out-sample'), config: base, progress: false });
console.log(`score: simulated ${sim.meanScore!.toFixed(4)}, real sample ${sample.meanScore!.toFixed(4)}`);

// 5. `npm run -s score` as a whole process on a full (simulated) event with its submission, and the same score by a
// plain-Python reimplementation (bench/trackml_score.py: standard library only; the official trackml-library needs
// pandas, absent here), each as a whole process; min of 3, CPU beside (wall on a shared box is noisy).
function timed(cmd: string, args: string[], cwd = repoRoot): { wallS: number; cpuS: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { cwd, encoding: 'utf8' });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-1000)}`);
  const [u, sy] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wallS, cpuS: u + sy, stdout: r.stdout };
}
const simSub = path.join(tmp, 'out-sim', `${simFirst.eventId}-submission.csv`);
// npm's own share, measured, not assumed: `npm run -s` of a script that only starts node (`node -e 0`), beside a bare
// `node -e 0`.
const noopDir = path.join(tmp, 'npm-noop');
mkdirSync(noopDir);
writeFileSync(path.join(noopDir, 'package.json'), JSON.stringify({ name: 'noop', private: true, scripts: { noop: 'node -e 0' } }));
const scoreRuns = {
  npmNoop: [] as { wallS: number; cpuS: number }[],
  nodeNoop: [] as { wallS: number; cpuS: number }[],
  npm: [] as { wallS: number; cpuS: number }[],
  node: [] as { wallS: number; cpuS: number }[],
  python: [] as { wallS: number; cpuS: number }[],
};
let pythonScore = NaN;
let ourScore = NaN;
for (let rep = 0; rep < 3; rep++) {
  const n = timed('npm', ['run', '-s', 'score', '--', '--truth', simFirst.truth!, '--submission', simSub]);
  ourScore = JSON.parse(n.stdout.trim().split('\n').pop()!).score ?? JSON.parse(n.stdout.trim().split('\n').pop()!).meanScore;
  scoreRuns.npm.push(n);
  scoreRuns.npmNoop.push(timed('npm', ['run', '-s', 'noop'], noopDir));
  scoreRuns.nodeNoop.push(timed('node', ['-e', '0']));
  scoreRuns.node.push(timed('node', ['src/cli/launch.mjs', 'score', '--truth', simFirst.truth!, '--submission', simSub]));
  const p = timed('python3', ['bench/trackml_score.py', simFirst.truth!, simSub]);
  pythonScore = Number(p.stdout.trim());
  scoreRuns.python.push(p);
}
const minOf = (runs: { wallS: number; cpuS: number }[]) => ({
  wallS: round(Math.min(...runs.map((r) => r.wallS))),
  cpuS: round(Math.min(...runs.map((r) => r.cpuS))),
});
const scoreCli = {
  npm: minOf(scoreRuns.npm),
  node: minOf(scoreRuns.node),
  python: minOf(scoreRuns.python),
  npmNoop: minOf(scoreRuns.npmNoop),
  nodeNoop: minOf(scoreRuns.nodeNoop),
  ourScore,
  pythonScore,
};
const scoreWall = scoreCli.npm.wallS;
console.log('score CLI', JSON.stringify(scoreCli));

const loadAtEnd = os.loadavg()[0];
const before = { simulated: 0.9034, realSample: 0.891, source: 'bench/results/pipeline.json before this change (wasm GNN)' };
const best = whole.reduce((a, b) => ((a.wholeProcessSecondsPerEvent as number) <= (b.wholeProcessSecondsPerEvent as number) ? a : b));
const ortGnn = gnn.filter((g) => g.engine === 'ort-cpu').reduce((a, b) => (a.meanMinMs <= b.meanMinMs ? a : b));
/** The main thread's phases of a run in seconds (provenance results.processMs). */
const phases = (p: Record<string, number> | undefined) =>
  p ? [p.startup, p.context, p.events, p.report].map((ms) => (ms / 1000).toFixed(2)).join(' / ') : '–';
const md: string[] = [
  '## Throughput on real full events (issue #16)',
  '',
  `The shared real full events (${realEvents.map((e) => e.eventId.replace('event', '')).join(', ')}; hits only), default config (pixel pT > 1 module map, the shipped model), ` +
    `as \`npm run pipeline\` child processes; each run ${REPEATS === 1 ? 'once' : `${REPEATS} times, the faster kept`}. Load average ${round(loadAtStart, 2)} at the start, ${round(loadAtEnd, 2)} at the end. ` +
    `Anchor: the TrackML throughput winner, ${THROUGHPUT_ANCHOR.secondsPerEvent} s per real full event on ${THROUGHPUT_ANCHOR.cores} threads of this machine class, score ${THROUGHPUT_ANCHOR.score} on the real sample.`,
  '',
  '| run | whole process s/event | CPU s/event | steady s/event | peak RSS | read | graph | GNN | tracks | write | edges/event | start-up / context / events / report s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...[...whole, ...steady].map((r) => {
    const s = r.meanStageMs as Record<string, number>;
    return `| ${r.label} | ${(r.wholeProcessSecondsPerEvent as number).toFixed(2)} | ${(r.cpuSecondsPerEvent as number).toFixed(2)} | ${r.steadyWallSecondsPerEvent != null ? (r.steadyWallSecondsPerEvent as number).toFixed(2) : '–'} | ${r.peakRssMiB} MiB | ${s.read.toFixed(0)} | ${s.graph.toFixed(0)} | ${s.gnn.toFixed(0)} | ${s.tracks.toFixed(0)} | ${s.write.toFixed(0)} | ${(r.meanEdges as number).toLocaleString('en-US')} | ${phases(r.processMs as Record<string, number> | undefined)} |`;
  }),
  '',
  "Start-up: process start to the run (node, the launcher, modules); context: config, module map, model; events: first read to last commit; report: report.json and report.html. Stage times are wall means per event inside the run (with events in parallel each stage shares the cores). Steady: the mean time between event completions after the first; since the last event's tracks run on the main thread beside the worker (the drain), a run's last two events can complete together, so in a 3-event run it understates (down to 0.01 s with warmUp: false) — the 6-event runs give the steady figure. GNN per real full event on its own (graphs as the pipeline builds them, triplet and edge inputs included, min over repeats after a warm-up):",
  '',
  '| engine | ms per event (min) | CPU ms |',
  '| --- | ---: | ---: |',
  ...gnn.map(
    (g) =>
      `| ${g.engine === 'ort-cpu' ? `ort-cpu (onnxruntime-node 1.30, ${g.threads === 1 ? '1 thread' : `${g.threads} threads, edges in ${g.threads} parts`})` : 'tfjs wasm (1 thread)'} | ${g.meanMinMs} | ${g.meanMinCpuMs} |`,
  ),
  '',
  `TrackML score with this build: ${sim.meanScore!.toFixed(4)} on the pipeline benchmark's 3 simulated events (seed 4242; before: ${before.simulated}), ${sample.meanScore!.toFixed(4)} on the real sample (before: ${before.realSample}). ` +
    `Scoring a full simulated event (${simFirst.eventId}), whole process, min of 3 (wall / CPU): \`npm run -s score\` ${scoreCli.npm.wallS.toFixed(2)} / ${scoreCli.npm.cpuS.toFixed(2)} s, ` +
    `\`node src/cli/launch.mjs score\` (no npm) ${scoreCli.node.wallS.toFixed(2)} / ${scoreCli.node.cpuS.toFixed(2)} s, ` +
    `a plain-Python reimplementation of the official score (bench/trackml_score.py, standard library only — not the official trackml-library, which needs pandas, absent here) ${scoreCli.python.wallS.toFixed(2)} / ${scoreCli.python.cpuS.toFixed(2)} s; ` +
    `scores ${scoreCli.ourScore} vs ${scoreCli.pythonScore}; Python ÷ ours (wall / CPU) ${(scoreCli.python.wallS / scoreCli.npm.wallS).toFixed(2)}× / ${(scoreCli.python.cpuS / scoreCli.npm.cpuS).toFixed(2)}× with npm, ${(scoreCli.python.wallS / scoreCli.node.wallS).toFixed(2)}× / ${(scoreCli.python.cpuS / scoreCli.node.cpuS).toFixed(2)}× without. ` +
    `npm's own share: \`npm run -s\` of a script that only runs \`node -e 0\` takes ${scoreCli.npmNoop.wallS.toFixed(2)} / ${scoreCli.npmNoop.cpuS.toFixed(2)} s, a bare \`node -e 0\` ${scoreCli.nodeNoop.wallS.toFixed(2)} / ${scoreCli.nodeNoop.cpuS.toFixed(2)} s.`,
  '',
  `Targets (issue #16): GNN ≤ 0.3 s per event — ${ortGnn.meanMinMs <= 300 ? 'met' : 'not met'} (${(ortGnn.meanMinMs / 1000).toFixed(2)} s); whole process ≤ 1.5 s per event — ${(best.wholeProcessSecondsPerEvent as number) <= 1.5 ? 'met' : 'not met'} (${(best.wholeProcessSecondsPerEvent as number).toFixed(2)} s); peak RSS ≤ 1 GiB for 3 events — ${(best.peakRssMiB as number) <= 1024 ? 'met' : 'not met'} (${best.peakRssMiB} MiB); ` +
    `score CLI ≥ 3× faster than the Python scorer (wall, same run) — ${scoreCli.python.wallS / scoreCli.npm.wallS >= 3 ? 'met' : 'not met'} with npm (${(scoreCli.python.wallS / scoreCli.npm.wallS).toFixed(2)}×), ${scoreCli.python.wallS / scoreCli.node.wallS >= 3 ? 'met' : 'not met'} as \`node src/cli/launch.mjs score\` (${(scoreCli.python.wallS / scoreCli.node.wallS).toFixed(2)}×).`,
];
writeResult('throughput', {
  command: 'npm run bench -- throughput',
  loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
  repeats: REPEATS,
  events: realEvents.map((e) => e.eventId),
  wholeProcess: whole,
  steady,
  gnn,
  score: { simulated: sim.meanScore, realSample: sample.meanScore, before },
  scoreCliWholeProcessSeconds: round(scoreWall),
  scoreCli,
  markdown: md.join('\n'),
});
console.log(md.join('\n'));
rmSync(tmp, { recursive: true, force: true });
