// Finds what a directory holds for each event (hits, truth, particles, graph, edge scores, submission) and turns
// each layer into one binary column pack for the page. Tolerant: every layer but hits is optional, and files may
// sit in DIR or in subdirectories up to two levels down (the pipeline's stage directories).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { groupIds64 } from '../../scoring/dense-ids.ts';
import { InputError } from '../../src/core/errors.ts';
import { edgeScoresFromBytes } from '../../src/core/run-files.ts';
import { loadDetector } from '../../src/geometry/index.ts';
import { graphFromArrow } from '../../src/graph/arrow-io.ts';
import { hitRowLookup, readHits, readParticles, readSubmission, readTruth } from '../../src/trackml/index.ts';
import { packColumns, type TypedColumn } from '../shared/binary.ts';
import { isInside } from './safe-files.ts';

export { isInside };

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

/** Truth per hit row: particle id (exact), dense particle index (−1 noise), weight, and the particle's pT, η,
 * charge and hit count (from particles.csv when present, else from the truth momentum at the hit). */
export function truthPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.truth === undefined) throw new InputError(e.eventId, undefined, 'no truth file');
  const hits = hitsOf(e, read);
  const t = readTruth(e.truth, read(e.truth));
  const n = hits.hitId.length;
  const rowOf = hitRowLookup(hits.hitId);
  const particleId = new BigUint64Array(n);
  const weight = new Float64Array(n);
  const ptGeV = new Float32Array(n);
  const eta = new Float32Array(n);
  const charge = new Int8Array(n);
  for (let r = 0; r < t.hitId.length; r++) {
    const i = rowOf(t.hitId[r]);
    if (i < 0) throw new InputError(e.truth, r + 2, `hit_id ${t.hitId[r]} is not in the hits file`);
    particleId[i] = t.particleId[r];
    weight[i] = t.weight[r];
    const pt = Math.hypot(t.tpx[r], t.tpy[r]);
    ptGeV[i] = pt;
    eta[i] = pt > 0 ? Math.asinh(t.tpz[r] / pt) : 0;
  }
  const groups = groupIds64(particleId);
  const particle = new Int32Array(n);
  const nhits = new Uint16Array(n);
  const count = new Uint32Array(groups.groups);
  for (let i = 0; i < n; i++) count[groups.groupOfRow[i]]++;
  for (let i = 0; i < n; i++) {
    particle[i] = particleId[i] === 0n ? -1 : groups.groupOfRow[i];
    nhits[i] = Math.min(65535, count[groups.groupOfRow[i]]);
  }
  if (e.particles !== undefined) {
    // Production momentum is what "a particle's pT" means in TrackML; the truth momentum is at the hit.
    const p = readParticles(e.particles, read(e.particles));
    const byGroup = new Int32Array(groups.groups).fill(-1);
    const lookup = new Map<bigint, number>();
    for (let k = 0; k < p.particleId.length; k++) lookup.set(p.particleId[k], k);
    for (let g = 0; g < groups.groups; g++) {
      const k = lookup.get(particleId[groups.firstRow[g]]);
      if (k !== undefined) byGroup[g] = k;
    }
    for (let i = 0; i < n; i++) {
      const k = byGroup[groups.groupOfRow[i]];
      if (k < 0 || particleId[i] === 0n) continue;
      const pt = Math.hypot(p.px[k], p.py[k]);
      ptGeV[i] = pt;
      eta[i] = pt > 0 ? Math.asinh(p.pz[k] / pt) : 0;
      charge[i] = p.q[k];
    }
  }
  return packColumns(
    { eventId: e.eventId, particles: groups.groups, fromParticles: e.particles !== undefined },
    { particleId, particle, weight, ptGeV, eta, charge, nhits },
  );
}

/** Descending order of non-negative scores: LSD radix sort on the float bits (monotone for x ≥ 0), stable. */
export function orderByScoreDesc(score: Float32Array): Uint32Array {
  const m = score.length;
  const key = new Uint32Array(m);
  const bits = new Uint32Array(score.buffer, score.byteOffset, m);
  for (let e = 0; e < m; e++) key[e] = score[e] > 0 ? ~bits[e] >>> 0 : 0xffffffff; // NaN, 0, negatives last
  let order = new Uint32Array(m);
  for (let e = 0; e < m; e++) order[e] = e;
  let tmp = new Uint32Array(m);
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let e = 0; e < m; e++) counts[(key[order[e]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let e = 0; e < m; e++) {
      const o = order[e];
      tmp[counts[(key[o] >>> shift) & 0xffff]++] = o;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

function permute<T extends Uint32Array | Float32Array | Uint8Array>(a: T, order: Uint32Array): T {
  const out = new (a.constructor as { new (n: number): T })(order.length);
  for (let k = 0; k < order.length; k++) out[k] = a[order[k]];
  return out;
}

/** Graph edges (node rows), node → hit row, truth label y and GNN score, edges sorted by descending score so
 * that "score ≥ threshold" is a prefix. `edgeRow` keeps each edge's row in the files. */
export function graphPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.nodes === undefined || e.edges === undefined) throw new InputError(e.eventId, undefined, 'no graph files');
  const hits = hitsOf(e, read);
  const g = graphFromArrow(read(e.nodes), read(e.edges), { nodes: e.nodes, edges: e.edges });
  const rowOf = hitRowLookup(hits.hitId);
  const nodeHit = new Int32Array(g.hitId.length);
  for (let k = 0; k < nodeHit.length; k++) {
    nodeHit[k] = rowOf(g.hitId[k]);
    if (nodeHit[k] < 0) throw new InputError(e.nodes, undefined, `node ${k}: hit_id ${g.hitId[k]} is not in the hits file`);
  }
  const m = g.src.length;
  let score: Float32Array | undefined;
  if (e.scores !== undefined) score = edgeScoresFromBytes(read(e.scores), e.scores, m);
  const order = score ? orderByScoreDesc(score) : Uint32Array.from({ length: m }, (_, k) => k);
  const columns: Record<string, TypedColumn> = {
    nodeHit,
    src: permute(g.src, order),
    dst: permute(g.dst, order),
    edgeRow: order,
  };
  if (score) columns.score = permute(score, order);
  if (g.y) columns.y = permute(g.y, order);
  const threshold = inferThreshold(e.scores, read);
  return packColumns(
    { eventId: e.eventId, nodes: nodeHit.length, edges: m, hasScores: !!score, hasLabels: !!g.y, threshold },
    columns,
  );
}

/** The threshold stage:infer reported at (its provenance file beside the scores), when there is one. */
function inferThreshold(scoresFile: string | undefined, read: ReadFile): number | undefined {
  if (!scoresFile) return undefined;
  const prov = path.join(path.dirname(scoresFile), 'provenance-infer.json');
  try {
    const p = JSON.parse(Buffer.from(read(prov)).toString('utf8')) as { config?: { threshold?: unknown } };
    return typeof p.config?.threshold === 'number' ? p.config.threshold : undefined;
  } catch {
    return undefined;
  }
}

/** The submission's tracks per hit row: dense track index (−1 = hit not in the submission) and the track ids. */
export function tracksPack(e: EventSources, read: ReadFile = readFileSync): Uint8Array {
  if (e.submission === undefined) throw new InputError(e.eventId, undefined, 'no submission file');
  const hits = hitsOf(e, read);
  const s = readSubmission(e.submission, read(e.submission));
  const rowOf = hitRowLookup(hits.hitId);
  const groups = groupIds64(s.trackId);
  const hitTrack = new Int32Array(hits.hitId.length).fill(-1);
  for (let r = 0; r < s.hitId.length; r++) {
    const i = rowOf(s.hitId[r]);
    if (i < 0) throw new InputError(e.submission, r + 2, `hit_id ${s.hitId[r]} is not in the hits file`);
    hitTrack[i] = groups.groupOfRow[r];
  }
  const trackId = new BigInt64Array(groups.groups);
  for (let t = 0; t < groups.groups; t++) trackId[t] = s.trackId[groups.firstRow[t]];
  const pipeline = e.record && path.dirname(e.record) === path.dirname(e.submission) ? pipelineRecord(e.record, read) : undefined;
  return packColumns({ eventId: e.eventId, tracks: groups.groups, file: path.basename(e.submission), pipeline }, { hitTrack, trackId });
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

/** Detector modules for the outline: centre (mm), rotation (9, row-major local→global), half sizes (mm). */
export function detectorPack(detectorsFile: string | undefined): Uint8Array {
  const d = loadDetector(detectorsFile);
  const n = d.volumeId.length;
  return packColumns(
    { modules: n, source: detectorsFile ? path.basename(detectorsFile) : 'built-in layer table' },
    {
      volumeId: d.volumeId,
      layerId: d.layerId,
      cx: Float32Array.from(d.cx),
      cy: Float32Array.from(d.cy),
      cz: Float32Array.from(d.cz),
      rot: Float32Array.from(d.rot),
      halfU: Float32Array.from(d.maxHalfUMm),
      halfV: Float32Array.from(d.halfVMm),
      thickness: Float32Array.from(d.thicknessMm),
    },
  );
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
