// Simulator speed and realism: 10 full events (MU = 200) on the built-in procedural detector and on the real
// detectors.csv; per-event simulation time (one core), hits/s, heap, write time (.csv.gz and .csv), and the
// realism table (simulated mean vs the real-event target range vs the real 5 % sample event).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { eventStatistics, type EventStats } from '../src/simulate/stats.ts';
import { findEvents, readEvent, writeEvent } from '../src/trackml/index.ts';
import { sharedDataDir, writeResult } from './lib.ts';

// Ten events: particle counts fluctuate ~7 % event to event (multiplicity, number of interactions).
const EVENTS = Number(process.env.SIM_BENCH_EVENTS ?? 10);
const SEED = 2026;

/** Real TrackML MU = 200 figures from the issue, as [low, high]; a single figure is [v, v]. Within target =
 * within 5 % (relative) of the range, as the issue asks. */
const TARGETS: Record<string, [number, number]> = {
  nHits: [94_000, 110_000],
  nParticles: [8_900, 8_900],
  noiseFraction: [0.18, 0.18],
  zeroHitFraction: [0.136, 0.136],
  atLeast4HitsFraction: [0.76, 0.76],
  meanHitsPerParticle: [8.5, 8.5],
  ptMedianGeV: [0.355, 0.355],
  ptAbove1GeVFraction: [0.1, 0.1],
  absEtaMedian: [1.54, 1.54],
  'volumeShare.7': [0.13, 0.15],
  'volumeShare.8': [0.234, 0.237],
  'volumeShare.9': [0.13, 0.14],
  'volumeShare.12': [0.06, 0.07],
  'volumeShare.13': [0.21, 0.22],
  'volumeShare.14': [0.064, 0.067],
  'volumeShare.16': [0.023, 0.026],
  'volumeShare.17': [0.09, 0.093],
  'volumeShare.18': [0.023, 0.025],
};

/** Figures with no target but worth comparing with the real sample. */
const EXTRA = [
  'secondaryFraction',
  'meanHitsPerParticleWithHits',
  'duplicateLayerFraction',
  'consecutiveHitDistanceMedianMm',
  'momentumLossPerStepMedianMeV',
  'dipAngleChangeTimesPMedian',
  'residualMedianMm.8.transverse',
  'residualMedianMm.13.dz',
  'cellsPerHit.8',
  'cellsPerHit.13',
  'cellsPerHit.17',
];

/** A figure by dotted path, e.g. 'volumeShare.7' or 'residualMedianMm.8.transverse'. */
function pick(s: EventStats, key: string): number {
  let v: unknown = s;
  for (const part of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
  return typeof v === 'number' ? v : 0;
}

function round(x: number, digits = 4): number {
  return Number(x.toPrecision(digits));
}

function runDetector(label: string, detectorsPath: string | undefined, real: EventStats) {
  const t0 = performance.now();
  const det = buildDetectorIndex(loadDetector(detectorsPath));
  const detectorMs = performance.now() - t0;
  const config = simulateConfig();
  const perEventMs: number[] = [];
  const hitsPerEvent: number[] = [];
  const stats: EventStats[] = [];
  let peakHeapMiB = 0;
  let writeGzMs = Number.NaN;
  let writeCsvMs = Number.NaN;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sim-bench-'));
  try {
    for (let k = 0; k < EVENTS; k++) {
      globalThis.gc?.();
      const ts = performance.now();
      const ev = simulateEvent(det, config, SEED, k);
      perEventMs.push(performance.now() - ts);
      peakHeapMiB = Math.max(peakHeapMiB, process.memoryUsage().heapUsed / 2 ** 20);
      hitsPerEvent.push(ev.hits.hitId.length);
      stats.push(eventStatistics(ev));
      if (k === 0) {
        const tw = performance.now();
        writeEvent(tmp, ev, { gzip: true });
        writeGzMs = performance.now() - tw;
        const tc = performance.now();
        writeEvent(tmp, ev, { gzip: false });
        writeCsvMs = performance.now() - tc;
      }
      process.stderr.write(`  ${label} event ${k + 1}/${EVENTS}: ${ev.hits.hitId.length} hits in ${(perEventMs[k] / 1000).toFixed(2)} s\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const totalHits = hitsPerEvent.reduce((a, b) => a + b, 0);
  const totalMs = perEventMs.reduce((a, b) => a + b, 0);
  const realism: Record<string, unknown> = {};
  for (const key of [...Object.keys(TARGETS), ...EXTRA]) {
    const mean = stats.reduce((a, s) => a + pick(s, key), 0) / stats.length;
    const target = TARGETS[key];
    realism[key] = {
      simulated: round(mean),
      target: target ?? null,
      withinTarget5pct: target ? mean >= target[0] * 0.95 && mean <= target[1] * 1.05 : null,
      realSample: round(pick(real, key)),
    };
  }
  return {
    detector: label,
    detectorBuildMs: round(detectorMs, 3),
    events: EVENTS,
    pileup: config.pileup,
    perEventSimulationMs: perEventMs.map((x) => round(x, 4)),
    meanSimulationMsPerEvent: round(totalMs / EVENTS, 4),
    hitsPerEvent,
    simulatedHitsPerSecond: Math.round(totalHits / (totalMs / 1000)),
    writeEventCsvGzMs: round(writeGzMs, 4),
    writeEventCsvMs: round(writeCsvMs, 4),
    peakHeapMiB: round(peakHeapMiB, 3),
    realism,
  };
}

const sample = findEvents(path.join(sharedDataDir, 'sample-event'))[0];
const realStats = eventStatistics(readEvent(sample));
const results = [
  runDetector('procedural', undefined, realStats),
  runDetector('real detectors.csv', path.join(sharedDataDir, 'detectors.csv.gz'), realStats),
];

for (const r of results) {
  process.stdout.write(
    `${r.detector}: ${r.meanSimulationMsPerEvent} ms/event (${r.simulatedHitsPerSecond} hits/s), write .csv.gz ${r.writeEventCsvGzMs} ms, ` +
      `.csv ${r.writeEventCsvMs} ms, heap ${r.peakHeapMiB} MiB\n`,
  );
  process.stdout.write('  figure                          simulated   target            real-sample\n');
  for (const [key, v] of Object.entries(r.realism) as [
    string,
    { simulated: number; target: [number, number] | null; withinTarget5pct: boolean | null; realSample: number },
  ][]) {
    const t = v.target ? `${v.target[0]}–${v.target[1]}` : '—';
    const mark = v.withinTarget5pct === null ? ' ' : v.withinTarget5pct ? '✓' : '✗';
    process.stdout.write(`  ${key.padEnd(32)}${String(v.simulated).padEnd(12)}${t.padEnd(18)}${v.realSample} ${mark}\n`);
  }
}
const file = writeResult('simulate', {
  seed: SEED,
  // The box is shared: a 1-minute load above the core count means the times are inflated by contention.
  loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
  note: 'simulation on one core; the real sample is a 5 % particle subset of one real event',
  results,
});
process.stdout.write(`wrote ${file}\n`);
