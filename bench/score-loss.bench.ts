// Where the TrackML score is lost (src/pipeline/score-loss.ts), the shipped pipeline on simulated and real events side
// by side: 3 simulated MU = 200 events (the pipeline benchmark's, seed 4242), 5 % particle subsets of them (made like
// the real sample: the same density, so the comparison with the real sample is like for like) and the real ~5 %
// sample event. Lost weight by failure kind and by particle pT, η, origin, hits and volume of its first hit.
//   npm run bench -- score-loss      (SCORE_LOSS_CONFIG=pipelines/….yaml scores another pipeline config: printed only)
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { pipelineConfigSchema } from '../src/pipeline/pipeline-config.ts';
import { runPipeline } from '../src/pipeline/run-pipeline.ts';
import { eventRng } from '../src/simulate/rng.ts';
import { simulateConfig, simulateEvent } from '../src/simulate/index.ts';
import { subsampleEvent } from '../src/simulate/subsample.ts';
import { formatEventId, writeEvent } from '../src/trackml/index.ts';
import { repoRoot, sharedDataDir, writeResult } from './lib.ts';
import { analyseRun, lossMarkdown } from './score-loss-report.ts';

const SEED = 4242;
const SIM_EVENTS = 3;
const SUBSETS_PER_EVENT = 5;
const configFile = process.env.SCORE_LOSS_CONFIG ?? path.join('pipelines', 'pipeline-default.yaml');
const config = loadConfig(pipelineConfigSchema, path.resolve(repoRoot, configFile));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'trackml-score-loss-'));

const t0 = performance.now();
const fullDir = path.join(tmp, 'sim'),
  subsetDir = path.join(tmp, 'sim-5pc'),
  realDir = path.join(tmp, 'real');
const detector = buildDetectorIndex(loadDetector());
let subsetId = 0;
for (let k = 1; k <= SIM_EVENTS; k++) {
  const ev = simulateEvent(detector, simulateConfig({ pileup: 200 }), SEED, k);
  writeEvent(fullDir, ev, { gzip: false });
  for (let j = 0; j < SUBSETS_PER_EVENT; j++, subsetId++) {
    const subset = subsampleEvent(ev, 0.05, eventRng(SEED + 1, subsetId));
    writeEvent(subsetDir, { ...subset, eventId: formatEventId(subsetId) } as typeof ev, { gzip: false });
  }
  process.stderr.write(`  simulated event ${k}/${SIM_EVENTS}\n`);
}
const sample = path.join(sharedDataDir, 'sample-event');
const haveReal = existsSync(path.join(sample, 'event000000001-truth.csv.gz'));
if (haveReal) {
  mkdirSync(realDir, { recursive: true });
  for (const kind of ['hits', 'particles', 'truth']) {
    const name = `event000000001-${kind}.csv.gz`;
    symlinkSync(path.join(sample, name), path.join(realDir, name));
  }
}

const inputs = [
  { label: `simulated MU = 200 (${SIM_EVENTS} events)`, dir: fullDir },
  { label: `simulated 5 % subsets (${subsetId})`, dir: subsetDir },
  ...(haveReal ? [{ label: 'real 5 % sample', dir: realDir }] : []),
];
const runs = [];
for (const { label, dir } of inputs) {
  const out = path.join(tmp, `out-${path.basename(dir)}`);
  const s = await runPipeline({ inputDir: dir, outputDir: out, config, progress: false });
  const scores = s.events.map((e) => e.truth?.score ?? Number.NaN);
  const loss = analyseRun(dir, out);
  console.log(`${label}: score ${(loss.score / loss.events).toFixed(4)} (pipeline ${s.meanScore?.toFixed(4)})`);
  runs.push({ label, loss, scores });
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const spread = runs.map(
  (r) =>
    `| ${r.label} | ${mean(r.scores).toFixed(4)} | ${r.scores.length > 1 ? sd(r.scores).toFixed(4) : '–'} | ${Math.min(...r.scores).toFixed(4)}–${Math.max(...r.scores).toFixed(4)} |`,
);
const markdown = [
  '## Where the score is lost: simulated vs real',
  '',
  `Config \`${configFile}\` with its model. ${inputs.map((i) => i.label).join('; ')}. Seed ${SEED}; 5 % subsets as the real sample was made (src/simulate/subsample.ts). ${((performance.now() - t0) / 1000).toFixed(0)} s in all.`,
  '',
  '| input | mean score | sd over events | min–max |',
  '| --- | ---: | ---: | --- |',
  ...spread,
  '',
  lossMarkdown(runs.map((r) => ({ label: r.label, loss: r.loss }))),
].join('\n');
console.log(markdown);
// Another config's figures are printed only: BENCHMARKS.md shows the shipped default.
if (!process.env.SCORE_LOSS_CONFIG) {
  writeResult('score-loss', { config: configFile, runs: runs.map((r) => ({ label: r.label, scores: r.scores, loss: r.loss })), markdown });
}
rmSync(tmp, { recursive: true, force: true });
