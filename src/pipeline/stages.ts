// The simulate, tracks and score stages run on their own (`npm run stage:<name> -- --config …`): directories in,
// directories out, per-event cache records, atomic writes, provenance. The graph and infer stages live in
// src/graph/stage.ts and src/gnn/stage.ts; `npm run pipeline` runs the whole chain in one process.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { z } from 'zod';
import { scoreEvent } from '../../scoring/index.ts';
import { InputError } from '../core/errors.ts';
import { readGraph } from '../gnn/stage.ts';
import { scoreFileName } from '../gnn/stage.ts';
import { graphFileNames } from '../graph/stage.ts';
import { buildDetectorIndex, loadDetector } from '../geometry/index.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvent } from '../simulate/simulate-event.ts';
import { EVENT_FILE_KINDS, findEvents, formatEventId, readHits, writeEvent, readParticles, readSubmission, readTruth, writeSubmission } from '../trackml/index.ts';
import { addCounts, buildEventTracks, countTracking, emptyCounts, trackingRates, tracksConfigSchema, type TrackingCounts } from '../tracks/index.ts';
import { cacheKey, fileStamp, removeStaleTemps, upToDate } from '../core/cache.ts';
import { loadConfig } from '../core/config.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { Progress } from '../core/progress.ts';
import { codeVersion, writeProvenance } from '../core/provenance.ts';
import { submissionFileName } from './run-pipeline.ts';

export const tracksStageSchema = z.strictObject({
  /** Event directory (hits files: every hit gets a track, also those outside the graph). */
  input: z.string().min(1),
  /** Graph directory written by stage:graphs. */
  graphs: z.string().min(1),
  /** Edge-score directory written by stage:infer. */
  scores: z.string().min(1),
  /** Submissions go here. */
  output: z.string().min(1),
  tracks: tracksConfigSchema.prefault({}),
});

export const scoreStageSchema = z.strictObject({
  /** Event directory with truth (and, for pT/η, particles) files. */
  truth: z.string().min(1),
  /** Directory of eventNNNNNNNNN-submission.csv files. */
  submissions: z.string().min(1),
  /** score.json and per-event records go here. */
  output: z.string().min(1),
});

export const simulateStageSchema = z.strictObject({
  /** Events are written here as eventNNNNNNNNN-{hits,cells,particles,truth}.csv[.gz]. */
  output: z.string().min(1),
  events: z.number().int().min(1).max(100_000).default(3),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
  firstEvent: z.number().int().min(0).max(999_999_999).default(1),
  gzip: z.boolean().default(true),
  /** A real detectors.csv[.gz] to simulate on instead of the built-in detector. */
  detectors: z.string().min(1).optional(),
  simulate: simulateConfigSchema.prefault({}),
});

/** Config from `file`, with command-line directory overrides applied before validation (a key given on the command
 * line need not be in the file). */
function stageConfig<S extends z.ZodType>(schema: S, file: string | undefined, overrides: Record<string, string | undefined>): z.output<S> {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  if (file !== undefined) return loadConfig(schema, file, given);
  const result = schema.safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(file, undefined, `${issue.path.join('.') || 'config'}: ${issue.message}`);
  }
  return result.data;
}

function readScores(file: string): Float32Array {
  try {
    const t = tableFromIPC(readFileSync(file));
    const col = t.getChild('score');
    if (!col) throw new Error('no score column');
    return col.toArray() as Float32Array;
  } catch (err) {
    throw new InputError(file, undefined, `not a readable edge-score file: ${(err as Error).message}`);
  }
}

/** stage:simulate — simulated events, each skipped when its files were written for the same config and code
 * (event k depends only on seed and k, so a partial run resumes where it stopped). */
export function runSimulateStage(configFile: string | undefined, overrides: { output?: string } = {}): { events: number; computed: number } {
  const cfg = stageConfig(simulateStageSchema, configFile, overrides);
  if (cfg.firstEvent + cfg.events - 1 > 999_999_999) throw new InputError(configFile, undefined, 'firstEvent + events exceeds event999999999');
  if (cfg.detectors !== undefined && !existsSync(cfg.detectors)) throw new InputError(configFile, undefined, `detectors: ${cfg.detectors} not found`);
  mkdirSync(cfg.output, { recursive: true });
  removeStaleTemps(cfg.output);
  const detector = buildDetectorIndex(loadDetector(cfg.detectors));
  const progress = new Progress('simulate', cfg.events);
  const timingsMs: Record<string, number> = {};
  let computed = 0;
  const output = cfg.output;
  // Per event: what makes event k (not how many events or which first one were asked for).
  const keyed = { seed: cfg.seed, gzip: cfg.gzip, simulate: cfg.simulate };
  for (let k = 0; k < cfg.events; k++) {
    const eventId = formatEventId(cfg.firstEvent + k);
    const suffix = cfg.gzip ? '.csv.gz' : '.csv';
    const outputs = EVENT_FILE_KINDS.map((kind) => path.join(output, `${eventId}-${kind}${suffix}`));
    const key = cacheKey({ stage: 'simulate', code: codeVersion(), ...keyed, detectorsFile: cfg.detectors ? fileStamp(cfg.detectors) : 'built-in', eventId });
    const recFile = path.join(output, `${eventId}-simulate-record.json`);
    if (upToDate(recFile, key, outputs)) {
      progress.tick(1, `${eventId} cached`);
      continue;
    }
    const t0 = performance.now();
    const event = simulateEvent(detector, cfg.simulate, cfg.seed, cfg.firstEvent + k);
    writeEvent(output, event, { gzip: cfg.gzip });
    timingsMs[eventId] = performance.now() - t0;
    writeFileAtomic(recFile, JSON.stringify({ cacheKey: key, eventId, hits: event.hits.hitId.length, ms: timingsMs[eventId] }) + '\n');
    computed++;
    progress.tick(1, `${eventId} ${event.hits.hitId.length} hits`);
  }
  writeProvenance(output, { stage: 'simulate', config: cfg, inputs: cfg.detectors ? [cfg.detectors] : [], timingsMs, results: { events: cfg.events, computed } });
  return { events: cfg.events, computed };
}

/** The threshold stage:infer worked at (the model's calibrated one), from its provenance beside the scores. */
function inferThreshold(scoresDir: string): number | undefined {
  const file = path.join(scoresDir, 'provenance-infer.json');
  if (!existsSync(file)) return undefined;
  try {
    const t = (JSON.parse(readFileSync(file, 'utf8')) as { config?: { threshold?: unknown } }).config?.threshold;
    return typeof t === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** stage:tracks — graphs + edge scores + hits → one submission per event. */
export function runTracksStage(configFile: string | undefined, overrides: { input?: string; output?: string } = {}): { events: number; computed: number } {
  const cfg = stageConfig(tracksStageSchema, configFile, overrides);
  const events = findEvents(cfg.input).filter((e) => e.hits);
  if (events.length === 0) throw new InputError(cfg.input, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  mkdirSync(cfg.output, { recursive: true });
  removeStaleTemps(cfg.output);
  const threshold = cfg.tracks.threshold ?? inferThreshold(cfg.scores) ?? 0.5;
  const progress = new Progress('tracks', events.length);
  const timingsMs: Record<string, number> = {};
  let computed = 0;
  for (const files of events) {
    const names = graphFileNames(files.eventId);
    const graphFiles = [path.join(cfg.graphs, names.nodes), path.join(cfg.graphs, names.edges)];
    const scoreFile = path.join(cfg.scores, scoreFileName(files.eventId));
    for (const f of [...graphFiles, scoreFile]) if (!existsSync(f)) throw new InputError(f, undefined, 'missing: run stage:graphs and stage:infer on these events first');
    const key = cacheKey({ stage: 'tracks', tracks: cfg.tracks, threshold, code: codeVersion(), inputs: [files.hits!, ...graphFiles, scoreFile].map(fileStamp) });
    const subFile = path.join(cfg.output, submissionFileName(files.eventId));
    const recFile = path.join(cfg.output, `${files.eventId}-tracks-record.json`);
    if (upToDate(recFile, key, [subFile])) {
      progress.tick(1, `${files.eventId} cached`);
      continue;
    }
    const t0 = performance.now();
    const hits = readHits(files.hits!);
    const graph = readGraph(cfg.graphs, files.eventId);
    const scores = readScores(scoreFile);
    if (scores.length !== graph.src.length) throw new InputError(scoreFile, undefined, `${scores.length} scores for ${graph.src.length} graph edges: graph and scores are from different runs`);
    const trackId = buildEventTracks(hits, graph, scores, { ...cfg.tracks, threshold });
    writeSubmission(subFile, { hitId: hits.hitId, trackId });
    timingsMs[files.eventId] = performance.now() - t0;
    writeFileAtomic(recFile, JSON.stringify({ cacheKey: key, eventId: files.eventId, ms: timingsMs[files.eventId] }) + '\n');
    computed++;
    progress.tick(1, `${files.eventId} ${timingsMs[files.eventId].toFixed(0)} ms`);
  }
  writeProvenance(cfg.output, { stage: 'tracks', config: { ...cfg, threshold }, inputs: [cfg.input, cfg.graphs, cfg.scores], timingsMs, results: { events: events.length, computed } });
  return { events: events.length, computed };
}

/** stage:score — submissions + truth → TrackML score and tracking metrics per event and overall (score.json). */
export function runScoreStage(configFile: string | undefined, overrides: { input?: string; output?: string; truth?: string } = {}): { events: number; meanScore: number; counts: TrackingCounts } {
  const cfg = stageConfig(scoreStageSchema, configFile, { submissions: overrides.input, output: overrides.output, truth: overrides.truth });
  const events = findEvents(cfg.truth).filter((e) => e.truth && existsSync(path.join(cfg.submissions, submissionFileName(e.eventId))));
  if (events.length === 0) throw new InputError(cfg.submissions, undefined, `no eventNNNNNNNNN-submission.csv matching a truth file in ${cfg.truth}`);
  mkdirSync(cfg.output, { recursive: true });
  removeStaleTemps(cfg.output);
  const progress = new Progress('score', events.length);
  const per: { eventId: string; score: number; counts: TrackingCounts }[] = [];
  for (const files of events) {
    const subFile = path.join(cfg.submissions, submissionFileName(files.eventId));
    const inputs = [files.truth!, subFile, ...(files.particles ? [files.particles] : [])];
    const key = cacheKey({ stage: 'score', code: codeVersion(), inputs: inputs.map(fileStamp) });
    const recFile = path.join(cfg.output, `${files.eventId}-score-record.json`);
    const cached = upToDate<{ cacheKey: string; eventId: string; score: number; counts: TrackingCounts }>(recFile, key, []);
    if (cached) {
      per.push(cached);
      progress.tick(1, `${files.eventId} cached`);
      continue;
    }
    const truth = readTruth(files.truth!);
    const sub = readSubmission(subFile);
    const result = scoreEvent(truth, sub, { truthFile: files.truth, submissionFile: subFile });
    const counts = countTracking(truth, sub, files.particles ? readParticles(files.particles) : undefined, result);
    writeFileAtomic(recFile, JSON.stringify({ cacheKey: key, eventId: files.eventId, score: result.score, counts }) + '\n');
    per.push({ eventId: files.eventId, score: result.score, counts });
    progress.tick(1, `${files.eventId} score ${result.score.toFixed(4)}`);
  }
  const meanScore = per.reduce((s, e) => s + e.score, 0) / per.length;
  const counts = per.reduce((c, e) => addCounts(c, e.counts), emptyCounts());
  writeFileAtomic(
    path.join(cfg.output, 'score.json'),
    JSON.stringify({ meanScore, events: per.map((e) => ({ eventId: e.eventId, score: e.score })), tracking: trackingRates(counts), counts }, null, 2) + '\n',
  );
  writeProvenance(cfg.output, { stage: 'score', config: cfg, inputs: [cfg.truth, cfg.submissions], timingsMs: {}, results: { meanScore, events: per.length } });
  return { events: per.length, meanScore, counts };
}
