// `npm start [-- --config pipelines/X.yaml]`: the main job on the embedded default. Simulates events (cached by
// config), reads them back, tracks them, writes submissions, scores them and prints score and per-stage timings.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scoreEvent } from '../../scoring/index.ts';
import { InputError } from '../errors.ts';
import { buildDetectorIndex, loadDetector } from '../geometry/index.ts';
import { loadConfig } from '../pipeline/config.ts';
import { mainConfigSchema, type MainConfig } from '../pipeline/main-config.ts';
import { Progress } from '../pipeline/progress.ts';
import { codeVersion, writeProvenance } from '../pipeline/provenance.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { trackByAngleBins } from '../tracks/baseline.ts';
import { findEvents, formatEventId, readEvent, writeEvent, writeSubmission } from '../trackml/index.ts';
import { runCli } from './run-cli.ts';

const DEFAULT_CONFIG = 'pipelines/default.yaml';

runCli(() => {
  const { values } = parseArgsOrThrow();
  const configFile = values.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  const config = loadConfig(mainConfigSchema, configFile);
  const runDir = path.resolve(config.output);
  const eventsDir = path.join(runDir, 'events');
  const submissionsDir = path.join(runDir, 'submissions');

  const tSim = simulateIfNeeded(config, eventsDir);

  const times = { readMs: 0, trackMs: 0, writeMs: 0, scoreMs: 0 };
  const perEvent: { eventId: string; hits: number; score: number; tracks: number; goodTracks: number }[] = [];
  const progress = new Progress('track+score', config.events);
  for (const files of findEvents(eventsDir).slice(0, config.events)) {
    let t = performance.now();
    const event = readEvent(files, ['hits', 'truth']);
    times.readMs += performance.now() - t;

    t = performance.now();
    const trackId = trackByAngleBins(event.hits);
    times.trackMs += performance.now() - t;

    t = performance.now();
    const submission = { hitId: event.hits.hitId, trackId };
    writeSubmission(path.join(submissionsDir, `${files.eventId}-submission.csv`), submission);
    times.writeMs += performance.now() - t;

    t = performance.now();
    const result = scoreEvent(event.truth!, submission);
    times.scoreMs += performance.now() - t;

    perEvent.push({
      eventId: files.eventId,
      hits: event.hits.hitId.length,
      score: result.score,
      tracks: result.tracks,
      goodTracks: result.goodTracks,
    });
    progress.tick(1, `${files.eventId} score ${result.score.toFixed(4)}`);
  }

  const n = perEvent.length;
  const meanScore = perEvent.reduce((s, e) => s + e.score, 0) / n;
  const meanHits = perEvent.reduce((s, e) => s + e.hits, 0) / n;
  const perEventMs = (times.readMs + times.trackMs + times.writeMs + times.scoreMs) / n;
  const line = (label: string, ms: number) => `  ${label.padEnd(10)} ${(ms / n).toFixed(1).padStart(8)} ms/event`;
  const out = [
    `trackml-gnn ${codeVersion()} — main job (${configFile ?? 'defaults'})`,
    `events: ${n} simulated events in ${path.relative(process.cwd(), eventsDir) || '.'} (MU ${config.simulate.pileup}, ` +
      `mean ${Math.round(meanHits).toLocaleString('en-US')} hits/event${tSim === undefined ? ', cached' : ''})`,
    `tracker: (η, φ)-bin baseline — the GNN tracker replaces it in later issues`,
    ...perEvent.map((e) => `  ${e.eventId}  hits ${e.hits}  tracks ${e.tracks}  good ${e.goodTracks}  score ${e.score.toFixed(4)}`),
    `TrackML score: ${meanScore.toFixed(4)} (mean over ${n} events)`,
    `timing per event:`,
    ...(tSim === undefined ? [] : [line('simulate', tSim)]),
    line('read', times.readMs),
    line('track', times.trackMs),
    line('write', times.writeMs),
    line('score', times.scoreMs),
    `  total      ${perEventMs.toFixed(1).padStart(8)} ms/event (excluding simulation; TrackML throughput winner: 560 ms/event on the 2018 contest box)`,
    `outputs: ${path.relative(process.cwd(), submissionsDir)}/, provenance in ${path.relative(process.cwd(), runDir)}/provenance-main.json`,
  ];
  process.stdout.write(out.join('\n') + '\n');
  writeProvenance(runDir, {
    stage: 'main',
    config,
    inputs: [eventsDir],
    timingsMs: { simulate: tSim ?? 0, ...times },
    results: { meanScore, events: perEvent },
  });
});

function parseArgsOrThrow() {
  try {
    return parseArgs({ options: { config: { type: 'string' } }, strict: true, allowPositionals: false });
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; usage: npm start [-- --config FILE]`);
  }
}

/** Simulates the configured events unless the run directory already holds them for the same config and code.
 * Returns the total simulation time in ms, or undefined when the cached events were reused. */
function simulateIfNeeded(config: MainConfig, eventsDir: string): number | undefined {
  const key = JSON.stringify({ code: codeVersion(), seed: config.seed, detectors: config.detectors ?? null, simulate: config.simulate });
  const provFile = path.join(eventsDir, 'provenance-simulate.json');
  const have = findEventsIfAny(eventsDir);
  if (existsSync(provFile) && have >= config.events) {
    const prov = JSON.parse(readFileSync(provFile, 'utf8')) as { results?: { cacheKey?: string } };
    if (prov.results?.cacheKey === key) return undefined;
  }
  const detector = buildDetectorIndex(loadDetector(config.detectors));
  mkdirSync(eventsDir, { recursive: true });
  const progress = new Progress('simulate', config.events);
  const t0 = performance.now();
  const perEventMs: Record<string, number> = {};
  for (let k = 0; k < config.events; k++) {
    const t = performance.now();
    const event = simulateEvent(detector, config.simulate, config.seed, k + 1);
    writeEvent(eventsDir, event);
    perEventMs[event.eventId] = performance.now() - t;
    progress.tick(1, `${formatEventId(k + 1)} ${event.hits.hitId.length} hits`);
  }
  const total = performance.now() - t0;
  writeProvenance(eventsDir, {
    stage: 'simulate',
    config: { seed: config.seed, detectors: config.detectors ?? 'built-in', simulate: config.simulate },
    inputs: config.detectors ? [config.detectors] : [],
    timingsMs: perEventMs,
    results: { cacheKey: key, events: config.events },
  });
  return total;
}

function findEventsIfAny(dir: string): number {
  return existsSync(dir) ? findEvents(dir).length : 0;
}
