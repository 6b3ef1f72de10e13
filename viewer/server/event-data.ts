// Finds what a directory holds for each event (hits, truth, particles, graph, edge scores, submission) and turns
// each layer into one binary column pack for the page. Tolerant: every layer but hits is optional, and files may
// sit in DIR or in subdirectories up to two levels down (the pipeline's stage directories).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { edgeScoresFromBytes } from '../../src/core/edge-score-file.ts';
import { provenanceFileName } from '../../src/core/run-files.ts';
import { loadDetector } from '../../src/geometry/index.ts';
import { graphFromArrow } from '../../src/graph/arrow-io.ts';
import { readHits, readParticles, readSubmission, readTruth } from '../../src/trackml/index.ts';
import { packColumns, type TypedColumn } from '../shared/binary.ts';
import { detectorLayer, graphLayer, tracksLayer, truthLayer } from '../shared/event-layers.ts';
import { isInside } from './safe-files.ts';

export { isInside };
export { orderByScoreDesc } from '../shared/event-layers.ts';

/** Reads a file's bytes: the server passes one that checks the file is (still) inside its folder (safe-files.ts). */
export type ReadFile = (file: string) => Uint8Array;

export const EVENT_LAYERS = ['hits', 'truth', 'graph', 'tracks'] as const;
export type EventLayer = (typeof EVENT_LAYERS)[number];

/** Paths (absolute, inside the served root) of one event's files. */
export interface EventSources {
  eventId: string;
  hits?: string;
  particles?: string;
  truth?: string;
  nodes?: string;
  edges?: string;
  scores?: string;
  submission?: string;
  /** The pipeline's per-event record beside the submission (threshold, score). */
  record?: string;
}

// `<event>-edge-scores.arrow` is written by stage:infer (src/gnn/stage.ts scoreFileName); graphs by stage:graphs
// (graphFileNames in src/graph/stage.ts); submissions by the pipeline as `<event>-submission.csv`.
const FILE_PATTERNS: [RegExp, keyof Omit<EventSources, 'eventId'>][] = [
  [/^(event\d{9})-hits\.csv(\.gz)?$/, 'hits'],
  [/^(event\d{9})-particles\.csv(\.gz)?$/, 'particles'],
  [/^(event\d{9})-truth\.csv(\.gz)?$/, 'truth'],
  [/^(event\d{9})-nodes\.arrow$/, 'nodes'],
  [/^(event\d{9})-edges\.arrow$/, 'edges'],
  [/^(event\d{9})-edge-scores\.arrow$/, 'scores'],
  [/^(event\d{9})-submission\.csv(\.gz)?$/, 'submission'],
  [/^(event\d{9})-record\.json$/, 'record'],
];

const MAX_DEPTH = 2;

/** Every event found under `root` (depth ≤ 2), sorted; the first file of a kind wins (shallowest, then by name).
 * Events without a hits file are dropped unless `keepWithoutHits` (a pipeline output whose hits are elsewhere). */
export function scanEventDir(root: string, keepWithoutHits = false): Map<string, EventSources> {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(root, undefined, 'input directory not found');
  const realRoot = realpathSync(root);
  const events = new Map<string, EventSources>();
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    const subdirs: string[] = [];
    for (const name of names) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = path.join(dir, name);
      if (!isInside(realRoot, full)) continue; // symlinks out of the root are not ours to serve
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (isDir) {
        if (depth < MAX_DEPTH) subdirs.push(full);
        continue;
      }
      for (const [re, kind] of FILE_PATTERNS) {
        const m = re.exec(name);
        if (!m) continue;
        let e = events.get(m[1]);
        if (!e) events.set(m[1], (e = { eventId: m[1] }));
        if (e[kind] === undefined) e[kind] = full;
      }
    }
    for (const d of subdirs) walk(d, depth + 1);
  };
  walk(root, 0);
  if (!keepWithoutHits) for (const [id, e] of events) if (e.hits === undefined) events.delete(id);
  return new Map([...events.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** Which layers an event can serve. */
export function layersOf(e: EventSources): Record<string, boolean> {
  return {
    hits: true,
    truth: e.truth !== undefined,
    particles: e.particles !== undefined,
    graph: e.nodes !== undefined && e.edges !== undefined,
    scores: e.nodes !== undefined && e.edges !== undefined && e.scores !== undefined,
    tracks: e.submission !== undefined,
  };
}

function hitsOf(e: EventSources, read: ReadFile) {
  return readHits(e.hits!, read(e.hits!));
}

/** Hits: positions (mm) and module ids per hit row, in the hits file's order (the page's hit index). */
export function hitsPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  const h = hitsOf(e, read);
  return packColumns(
    { eventId: e.eventId, hits: h.hitId.length },
    { hitId: h.hitId, x: h.x, y: h.y, z: h.z, volumeId: h.volumeId, layerId: h.layerId, moduleId: h.moduleId },
  );
}

/** Truth per hit row (viewer/shared/event-layers.ts truthLayer). */
export function truthPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.truth === undefined) throw new InputError(e.eventId, undefined, 'no truth file');
  const particlesFile = e.particles;
  const particles = particlesFile !== undefined ? readParticles(particlesFile, read(particlesFile)) : undefined;
  const { particles: count, ...columns } = truthLayer(hitsOf(e, read), readTruth(e.truth, read(e.truth)), particles, e.truth);
  return packColumns({ eventId: e.eventId, particles: count, fromParticles: particlesFile !== undefined }, columns);
}

/** Graph edges in descending score order (viewer/shared/event-layers.ts graphLayer). */
export function graphPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.nodes === undefined || e.edges === undefined) throw new InputError(e.eventId, undefined, 'no graph files');
  const hits = hitsOf(e, read);
  const g = graphFromArrow(read(e.nodes), read(e.edges), { nodes: e.nodes, edges: e.edges });
  const m = g.src.length;
  let score: Float32Array | undefined;
  if (e.scores !== undefined) score = edgeScoresFromBytes(read(e.scores), e.scores, m);
  const threshold = inferThreshold(e.scores, read);
  const layer = graphLayer(hits, g, score, threshold, e.nodes);
  const columns: Record<string, TypedColumn> = { nodeHit: layer.nodeHit, src: layer.src, dst: layer.dst, edgeRow: layer.edgeRow };
  if (layer.score) columns.score = layer.score;
  if (layer.y) columns.y = layer.y;
  return packColumns(
    { eventId: e.eventId, nodes: layer.nodeHit.length, edges: m, hasScores: !!score, hasLabels: !!g.y, threshold },
    columns,
  );
}

/** The threshold stage:infer reported at (its provenance file beside the scores), when there is one. */
function inferThreshold(scoresFile: string | undefined, read: ReadFile): number | undefined {
  if (!scoresFile) return undefined;
  const prov = path.join(path.dirname(scoresFile), provenanceFileName('infer'));
  try {
    const p = JSON.parse(Buffer.from(read(prov)).toString('utf8')) as { config?: { threshold?: unknown } };
    return typeof p.config?.threshold === 'number' ? p.config.threshold : undefined;
  } catch {
    return undefined;
  }
}

/** The submission's tracks per hit row (viewer/shared/event-layers.ts tracksLayer). */
export function tracksPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.submission === undefined) throw new InputError(e.eventId, undefined, 'no submission file');
  const { hitTrack, trackId } = tracksLayer(hitsOf(e, read), readSubmission(e.submission, read(e.submission)), e.submission);
  const pipeline = e.record && path.dirname(e.record) === path.dirname(e.submission) ? pipelineRecord(e.record, read) : undefined;
  return packColumns({ eventId: e.eventId, tracks: trackId.length, file: path.basename(e.submission), pipeline }, { hitTrack, trackId });
}

/** What the pipeline recorded for the event beside its submission: the threshold its tracks were built at and
 * the score it computed (undefined when the record is unreadable). */
export function pipelineRecord(file: string, read: ReadFile = readFileSync): { threshold?: number; score?: number } | undefined {
  try {
    const r = JSON.parse(Buffer.from(read(file)).toString('utf8')) as { threshold?: unknown; truth?: { score?: unknown } };
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    return { threshold: num(r.threshold), score: num(r.truth?.score) };
  } catch {
    return undefined;
  }
}

/** Detector modules for the outline (viewer/shared/event-layers.ts detectorLayer). */
export function detectorPack(detectorsFile: string | undefined): Uint8Array {
  const { modules, ...columns } = detectorLayer(loadDetector(detectorsFile));
  return packColumns({ modules, source: detectorsFile ? path.basename(detectorsFile) : 'built-in layer table' }, columns);
}

/** One layer's pack; every file of the event is read through `read`. */
export function layerPack(e: EventSources, layer: EventLayer, read: ReadFile = readFileSync): Uint8Array {
  switch (layer) {
    case 'hits':
      return hitsPack(e, read);
    case 'truth':
      return truthPack(e, read);
    case 'graph':
      return graphPack(e, read);
    case 'tracks':
      return tracksPack(e, read);
  }
}
