// The simulate, tracks and score stages run on their own (`npm run stage:<name> -- --config …`): directories in,
// directories out, per-event cache records, atomic writes, provenance. The graph and infer stages live in
// src/graph/stage.ts and src/gnn/stage.ts; `npm run pipeline` runs the whole chain in one process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { scoreEvent } from '../../scoring/index.ts';
import {
  cacheKey,
  digestInputs,
  inputHashes,
  RECORD_FORMAT,
  trustedRecord,
  writeRecord,
  type InputDigest,
  type RecordBase,
} from '../core/cache.ts';
import { InputError } from '../core/errors.ts';
import { loadConfig } from '../core/config.ts';
import { checkOutputDir, writeFileAtomic } from '../core/fs.ts';
import { openRunDir } from '../core/lock.ts';
import { inShard, shardTag, type Shard } from '../core/shard.ts';
import { Progress } from '../core/progress.ts';
import { codeHash, writeProvenance } from '../core/provenance.ts';
import { readEdgeScores } from '../core/edge-score-read.ts';
import { edgeScoresFileName, graphFileNames, readInferThreshold, SCORE_JSON, submissionFileName } from '../core/run-files.ts';
import { checkGraphMatchesHits, readGraph } from '../graph/index.ts';
import { simulateConfigSchema } from '../simulate/config.ts';
import { simulateEvents } from '../simulate/stage.ts';
import { findEvents, readHits, readParticles, readSubmission, readTruth, writeSubmission } from '../trackml/index.ts';
import {
  addCounts,
  buildEventTracks,
  countTracking,
  emptyCounts,
  trackingRates,
  tracksConfigSchema,
  type TrackingCounts,
  type TracksConfig,
} from '../tracks/index.ts';

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
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
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

/** stage:simulate — simulated events, each skipped when its record still vouches for its files (event k depends
 * only on seed and k, so a partial run resumes where it stopped). */
export function runSimulateStage(
  configFile: string | undefined,
  overrides: { output?: string; shard?: Shard } = {},
): { events: number; computed: number } {
  const cfg = stageConfig(simulateStageSchema, configFile, { output: overrides.output });
  if (cfg.firstEvent + cfg.events - 1 > 999_999_999)
    throw new InputError(configFile, undefined, 'firstEvent + events exceeds event999999999');
  if (cfg.detectors !== undefined && !existsSync(cfg.detectors))
    throw new InputError(configFile, undefined, `detectors: ${cfg.detectors} not found`);
  const r = simulateEvents({
    output: cfg.output,
    events: cfg.events,
    seed: cfg.seed,
    firstEvent: cfg.firstEvent,
    gzip: cfg.gzip,
    detectors: cfg.detectors,
    simulate: cfg.simulate,
    shard: overrides.shard,
  });
  return { events: r.events, computed: r.computed };
}

/** `<event>-tracks-record.json`. */
export interface TracksRecord extends RecordBase {
  hits: number;
  tracks: number;
  threshold: number;
  timingsMs: { tracks: number };
}

/** stage:tracks — graphs + edge scores + hits → one submission per event. The key holds the tracks config (and the
 * threshold it resolves to) and the content of the four input files; the directories themselves are not in it. */
export function runTracksStage(
  configFile: string | undefined,
  overrides: { input?: string; output?: string; shard?: Shard } = {},
): { events: number; computed: number } {
  const { shard, ...dirs } = overrides;
  const cfg = stageConfig(tracksStageSchema, configFile, dirs);
  checkOutputDir(cfg.output);
  const found = findEvents(cfg.input).filter((e) => e.hits);
  if (found.length === 0) throw new InputError(cfg.input, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found');
  const events = inShard(found, shard);
  if (events.length === 0) return { events: 0, computed: 0 };
  const threshold = cfg.tracks.threshold ?? readInferThreshold(cfg.scores) ?? 0.5;
  const release = openRunDir(cfg.output, shard);
  try {
    const progress = new Progress('tracks', events.length);
    const timingsMs: Record<string, number> = {};
    const base = { stage: 'tracks', format: RECORD_FORMAT, code: codeHash('pipeline'), tracks: cfg.tracks, threshold };
    let computed = 0;
    for (const files of events) {
      const names = graphFileNames(files.eventId);
      const paths = {
        hits: files.hits!,
        nodes: path.join(cfg.graphs, names.nodes),
        edges: path.join(cfg.graphs, names.edges),
        scores: path.join(cfg.scores, edgeScoresFileName(files.eventId)),
      };
      for (const f of [paths.nodes, paths.edges, paths.scores])
        if (!existsSync(f)) throw new InputError(f, undefined, 'missing: run stage:graphs and stage:infer on these events first');
      const inputs = digestInputs(paths);
      const key = cacheKey({ ...base, inputs: inputHashes(inputs) });
      let record = trustedRecord<TracksRecord>(cfg.output, 'tracks', files.eventId, key);
      const cached = record !== undefined;
      if (!record) {
        record = tracksForEvent(cfg.output, files.eventId, paths, inputs, key, { ...cfg.tracks, threshold });
        computed++;
      }
      timingsMs[files.eventId] = record.timingsMs.tracks;
      progress.tick(1, `${files.eventId} ${cached ? 'up to date' : `${record.timingsMs.tracks.toFixed(0)} ms`}`);
    }
    writeProvenance(cfg.output, {
      stage: shard ? `tracks-${shardTag(shard)}` : 'tracks',
      config: { ...cfg, threshold },
      inputs: [cfg.input, cfg.graphs, cfg.scores],
      timingsMs,
      results: { events: events.length, computed },
    });
    return { events: events.length, computed };
  } finally {
    release();
  }
}
/** One event of stage:tracks: the submission, then its record. Graphs built from other events than these hits
 * are the input's fault (one line naming both files). */
function tracksForEvent(
  outDir: string,
  eventId: string,
  paths: { hits: string; nodes: string; scores: string },
  inputs: Record<string, InputDigest>,
  key: string,
  tracksCfg: TracksConfig & { threshold: number },
): TracksRecord {
  const t0 = performance.now();
  const hits = readHits(paths.hits);
  const graph = readGraph(path.dirname(paths.nodes), eventId);
  checkGraphMatchesHits(graph, hits, paths.nodes, paths.hits);
  const scores = readEdgeScores(paths.scores, graph.src.length);
  const trackId = buildEventTracks(hits, graph, scores, tracksCfg);
  const subName = submissionFileName(eventId);
  const outputs = { [subName]: writeSubmission(path.join(outDir, subName), { hitId: hits.hitId, trackId }) };
  const record: TracksRecord = {
    format: RECORD_FORMAT,
    stage: 'tracks',
    eventId,
    cacheKey: key,
    inputs,
    outputs,
    hits: hits.hitId.length,
    tracks: new Set(trackId).size,
    threshold: tracksCfg.threshold,
    timingsMs: { tracks: performance.now() - t0 },
  };
  writeRecord(outDir, record);
  return record;
}

/** `<event>-score-record.json`: the event's score and tracking counts (the record is the output). */
export interface ScoreRecord extends RecordBase {
  score: number;
  counts: TrackingCounts;
}

/** stage:score — submissions + truth → TrackML score and tracking metrics per event and overall (score.json). */
export function runScoreStage(
  configFile: string | undefined,
  overrides: { input?: string; output?: string; truth?: string; shard?: Shard } = {},
): { events: number; meanScore: number; counts: TrackingCounts } {
  const cfg = stageConfig(scoreStageSchema, configFile, { submissions: overrides.input, output: overrides.output, truth: overrides.truth });
  checkOutputDir(cfg.output);
  const found = findEvents(cfg.truth).filter((e) => e.truth && existsSync(path.join(cfg.submissions, submissionFileName(e.eventId))));
  if (found.length === 0)
    throw new InputError(cfg.submissions, undefined, `no eventNNNNNNNNN-submission.csv matching a truth file in ${cfg.truth}`);
  const shard = overrides.shard;
  const events = inShard(found, shard);
  if (events.length === 0) return { events: 0, meanScore: NaN, counts: emptyCounts() };
  const release = openRunDir(cfg.output, shard);
  try {
    const progress = new Progress('score', events.length);
    const per: ScoreRecord[] = [];
    const base = { stage: 'score', format: RECORD_FORMAT, code: codeHash('pipeline') };
    for (const files of events) {
      const subFile = path.join(cfg.submissions, submissionFileName(files.eventId));
      const inputs = digestInputs({ truth: files.truth, submission: subFile, particles: files.particles });
      const key = cacheKey({ ...base, inputs: inputHashes(inputs) });
      const cached = trustedRecord<ScoreRecord>(cfg.output, 'score', files.eventId, key);
      if (cached) {
        per.push(cached);
        progress.tick(1, `${files.eventId} up to date`);
        continue;
      }
      const truth = readTruth(files.truth!);
      const sub = readSubmission(subFile);
      const result = scoreEvent(truth, sub, { truthFile: files.truth, submissionFile: subFile });
      const counts = countTracking(truth, sub, files.particles ? readParticles(files.particles) : undefined, result);
      const record: ScoreRecord = {
        format: RECORD_FORMAT,
        stage: 'score',
        eventId: files.eventId,
        cacheKey: key,
        inputs,
        outputs: {},
        score: result.score,
        counts,
      };
      writeRecord(cfg.output, record);
      per.push(record);
      progress.tick(1, `${files.eventId} score ${result.score.toFixed(4)}`);
    }
    const meanScore = per.reduce((s, e) => s + e.score, 0) / per.length;
    const counts = per.reduce((c, e) => addCounts(c, e.counts), emptyCounts());
    // A shard's summary beside the others' (score.shard-I-of-N.json); the per-event records hold every number.
    writeFileAtomic(
      path.join(cfg.output, shard ? SCORE_JSON.replace(/\.json$/, `.${shardTag(shard)}.json`) : SCORE_JSON),
      JSON.stringify(
        { meanScore, events: per.map((e) => ({ eventId: e.eventId, score: e.score })), tracking: trackingRates(counts), counts },
        null,
        2,
      ) + '\n',
    );
    writeProvenance(cfg.output, {
      stage: shard ? `score-${shardTag(shard)}` : 'score',
      config: cfg,
      inputs: [cfg.truth, cfg.submissions],
      timingsMs: {},
      results: { meanScore, events: per.length },
    });
    return { events: per.length, meanScore, counts };
  } finally {
    release();
  }
}
