// One event as the PyTorch Geometric `Data` object an acorn (Exa.TrkX successor) stage reads, with acorn's field
// names (its unprefixed scheme, `variable_with_prefix: false`): per hit `hit_id, x, y, z, r, phi, eta, module_id,
// volume_id, layer_id, weight`; per graph edge `edge_index, y, scores`; the true track edges `track_edges` (a
// particle's hits in order of distance from its vertex) with per-track-edge `particle_id, pt, radius, primary,
// nhits, pdgId, eta_particle` and `truth_map` (the graph edge of each track edge, −1 if none); per hit `labels`
// (the pipeline's track of each hit, as acorn's track building writes); `event_id` and `config`.
import { PROMPT_VERTEX_R_MM as PRIMARY_VERTEX_R_MM } from '../graph/metrics.ts';
import type { Graph } from '../graph/graph.ts';
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Hits, Particles, Submission, Truth } from '../trackml/types.ts';
import { tensor, type PickleValue } from './torch-save.ts';

export interface PygEventInput {
  eventId: string;
  hits: Hits;
  truth?: Truth;
  particles?: Particles;
  graph: Graph;
  scores?: Float32Array;
  submission?: Submission;
}

/** The Data object's fields (nodes in hit-id order, as acorn sorts them). */
export function pygFields(inp: PygEventInput): Record<string, PickleValue> {
  const h = inp.hits;
  const n = h.hitId.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => h.hitId[a] - h.hitId[b]);
  const nodeOfRow = new Int32Array(n);
  order.forEach((row, k) => (nodeOfRow[row] = k));
  const f32 = (f: (row: number) => number) => tensor(Float32Array.from(order, f), [n], 'float32');
  const i64 = (f: (row: number) => number | bigint) =>
    tensor(
      BigInt64Array.from(order, (r) => BigInt(f(r))),
      [n],
      'int64',
    );
  const fields: Record<string, PickleValue> = {
    hit_id: i64((r) => h.hitId[r]),
    x: f32((r) => h.x[r]),
    y: f32((r) => h.y[r]),
    z: f32((r) => h.z[r]),
    r: f32((r) => Math.hypot(h.x[r], h.y[r])),
    phi: f32((r) => Math.atan2(h.y[r], h.x[r])),
    eta: f32((r) => Math.asinh(h.z[r] / Math.max(Math.hypot(h.x[r], h.y[r]), 1e-6))),
    module_id: i64((r) => h.moduleId[r]),
    volume_id: i64((r) => h.volumeId[r]),
    layer_id: i64((r) => h.layerId[r]),
  };
  // Graph edges: node rows of the graph → node index here.
  const g = inp.graph;
  const rowOf = hitRowLookup(h.hitId);
  const nodeOfGraphNode = Int32Array.from(g.hitId, (id) => nodeOfRow[rowOf(id)]);
  const m = g.src.length;
  const ei = new BigInt64Array(2 * m);
  for (let e = 0; e < m; e++) ((ei[e] = BigInt(nodeOfGraphNode[g.src[e]])), (ei[m + e] = BigInt(nodeOfGraphNode[g.dst[e]])));
  fields.edge_index = tensor(ei, [2, m], 'int64');
  if (inp.scores) fields.scores = tensor(Float32Array.from(inp.scores), [m], 'float32');
  if (g.y) fields.y = tensor(Uint8Array.from(g.y), [m], 'bool');
  if (inp.submission) {
    const sub = inp.submission;
    const trackOfRow = new Map<number, bigint>();
    for (let i = 0; i < sub.hitId.length; i++) trackOfRow.set(rowOf(sub.hitId[i]), sub.trackId[i]);
    fields.labels = i64((r) => trackOfRow.get(r) ?? -1n);
  }
  if (inp.truth) Object.assign(fields, truthFields(inp, order, nodeOfRow, ei, m));
  fields.event_id = inp.eventId.replace(/^event/, '');
  fields.config = [{ written_by: 'trackml-gnn npm run export -- --to pyg', units: 'mm, GeV', variable_with_prefix: false }];
  return fields;
}

/** Hit weights, true track edges with their particle features, and truth_map into the graph's edges. */
function truthFields(
  inp: PygEventInput,
  order: number[],
  nodeOfRow: Int32Array,
  ei: BigInt64Array,
  m: number,
): Record<string, PickleValue> {
  const h = inp.hits,
    t = inp.truth!;
  const n = h.hitId.length;
  const rowOf = hitRowLookup(h.hitId);
  const pid = new BigUint64Array(n);
  const weight = new Float32Array(n);
  for (let r = 0; r < t.hitId.length; r++) {
    const row = rowOf(t.hitId[r]);
    pid[row] = t.particleId[r];
    weight[row] = t.weight[r];
  }
  const p = inp.particles;
  const truthRowOf = hitRowLookup(t.hitId);
  const pIndex = new Map<bigint, number>();
  if (p) for (let k = 0; k < p.particleId.length; k++) pIndex.set(p.particleId[k], k);
  // A particle's hits, ordered by distance from its production vertex (origin when unknown).
  const byParticle = new Map<bigint, number[]>();
  for (let row = 0; row < n; row++) {
    if (pid[row] === 0n) continue;
    let list = byParticle.get(pid[row]);
    if (!list) byParticle.set(pid[row], (list = []));
    list.push(row);
  }
  const src: number[] = [],
    dst: number[] = [],
    trackPid: bigint[] = [],
    pt: number[] = [],
    radius: number[] = [];
  const primary: number[] = [],
    nhits: number[] = [],
    pdg: number[] = [],
    etaP: number[] = [];
  for (const [id, rows] of byParticle) {
    const k = pIndex.get(id);
    const vx = k !== undefined ? p!.vx[k] : 0,
      vy = k !== undefined ? p!.vy[k] : 0,
      vz = k !== undefined ? p!.vz[k] : 0;
    rows.sort(
      (a, b) =>
        (h.x[a] - vx) ** 2 + (h.y[a] - vy) ** 2 + (h.z[a] - vz) ** 2 - ((h.x[b] - vx) ** 2 + (h.y[b] - vy) ** 2 + (h.z[b] - vz) ** 2),
    );
    let ptGeV = 0,
      eta = 0;
    if (k !== undefined) {
      ptGeV = Math.hypot(p!.px[k], p!.py[k]);
      eta = Math.asinh(p!.pz[k] / Math.max(ptGeV, 1e-12));
    } else {
      const r0 = truthRowOf(h.hitId[rows[0]]);
      ptGeV = Math.hypot(t.tpx[r0], t.tpy[r0]);
      eta = Math.asinh(t.tpz[r0] / Math.max(ptGeV, 1e-12));
    }
    const rv = Math.hypot(vx, vy);
    for (let j = 0; j + 1 < rows.length; j++) {
      src.push(nodeOfRow[rows[j]]);
      dst.push(nodeOfRow[rows[j + 1]]);
      trackPid.push(id);
      pt.push(ptGeV);
      radius.push(rv);
      primary.push(rv < PRIMARY_VERTEX_R_MM ? 1 : 0);
      nhits.push(rows.length);
      pdg.push(k !== undefined && p!.particleType ? p!.particleType[k] : 0);
      etaP.push(eta);
    }
  }
  const T = src.length;
  const edgeOf = new Map<string, number>();
  for (let e = 0; e < m; e++) {
    const a = Number(ei[e]),
      b = Number(ei[m + e]);
    edgeOf.set(`${Math.min(a, b)},${Math.max(a, b)}`, e);
  }
  const te = new BigInt64Array(2 * T);
  const truthMap = new BigInt64Array(T);
  for (let j = 0; j < T; j++) {
    te[j] = BigInt(src[j]);
    te[T + j] = BigInt(dst[j]);
    truthMap[j] = BigInt(edgeOf.get(`${Math.min(src[j], dst[j])},${Math.max(src[j], dst[j])}`) ?? -1);
  }
  for (const id of trackPid) if (id >= 1n << 63n) throw new Error(`particle id ${id} does not fit int64`);
  return {
    weight: tensor(
      Float32Array.from(order, (r) => weight[r]),
      [n],
      'float32',
    ),
    track_edges: tensor(te, [2, T], 'int64'),
    particle_id: tensor(BigInt64Array.from(trackPid), [T], 'int64'),
    pt: tensor(Float32Array.from(pt), [T], 'float32'),
    radius: tensor(Float32Array.from(radius), [T], 'float32'),
    primary: tensor(Uint8Array.from(primary), [T], 'bool'),
    nhits: tensor(BigInt64Array.from(nhits, BigInt), [T], 'int64'),
    pdgId: tensor(BigInt64Array.from(pdg, BigInt), [T], 'int64'),
    eta_particle: tensor(Float32Array.from(etaP), [T], 'float32'),
    truth_map: tensor(truthMap, [T], 'int64'),
  };
}
