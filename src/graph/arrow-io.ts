// Graph and module-map files as Apache Arrow IPC (Feather v2): readable by pyarrow/pandas
// (`pyarrow.feather.read_table`) without our code. A graph is two files, `<event>-nodes.arrow` and
// `<event>-edges.arrow` (an Arrow file holds one table); feature columns are named, layouts live in graph.ts.
import { RecordBatch, Schema, Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { InputError } from '../core/errors.ts';
import { edgeScoresToBytes } from '../core/edge-score-file.ts';
export { edgeScoresFileName } from '../core/run-file-names.ts';
export { edgeScoresFromBytes as edgeScoresFromArrow } from '../core/edge-score-file.ts';
import { EDGE_FEATURE_NAMES, EDGE_FEATURES, NODE_FEATURE_NAMES, NODE_FEATURES, R_SCALE_MM, Z_SCALE_MM, type Graph } from './graph.ts';
import { MM_FEATURE_NAMES, MM_FEATURES, moduleMapFromEntries, type ModuleLookup, type ModuleMap } from './module-map.ts';
import { findRing, type ModuleRings, type RingMap } from './ring-map.ts';

export const GRAPH_FORMAT = 'trackml-gnn-graph/1';
export const MODULE_MAP_FORMAT = 'trackml-gnn-module-map/1';
export const RING_MAP_FORMAT = 'trackml-gnn-ring-map/1';

function withMetadata(columns: Record<string, ArrayLike<unknown>>, metadata: Record<string, string>): Uint8Array {
  const t = tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]);
  const schema = new Schema(t.schema.fields, new Map(Object.entries(metadata)));
  return tableToIPC(
    new Table(
      schema,
      t.batches.map((b) => new RecordBatch(schema, b.data)),
    ),
    'file',
  );
}

function column(rowMajor: Float32Array, width: number, col: number, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = rowMajor[i * width + col];
  return out;
}

/** The two Arrow files of a graph, as bytes. */
export function graphToArrow(g: Graph): { nodes: Uint8Array; edges: Uint8Array } {
  const n = g.hitId.length;
  const m = g.src.length;
  const meta = {
    format: GRAPH_FORMAT,
    event_id: g.eventId,
    node_scaling: `r = r_mm / ${R_SCALE_MM}, phi = phi_rad / pi, z = z_mm / ${Z_SCALE_MM}`,
    edge_scaling: 'dr, dz as nodes; dphi = wrapped dphi_rad / pi; deta raw; dR = sqrt(deta^2 + dphi_rad^2)',
  };
  const nodeCols: Record<string, ArrayLike<unknown>> = { hit_id: g.hitId, volume_id: g.volumeId, layer: g.layer };
  NODE_FEATURE_NAMES.forEach((name, c) => (nodeCols[name] = column(g.nodeFeatures, NODE_FEATURES, c, n)));
  if (g.truth) {
    nodeCols.particle_id = g.truth.particleId;
    nodeCols.particle = g.truth.particle;
    nodeCols.rank = g.truth.rank;
    nodeCols.pt_gev = g.truth.ptGeV;
    nodeCols.vertex_r_mm = g.truth.vertexRMm;
  }
  const edgeCols: Record<string, ArrayLike<unknown>> = { src: g.src, dst: g.dst };
  EDGE_FEATURE_NAMES.forEach((name, c) => (edgeCols[name] = column(g.edgeFeatures, EDGE_FEATURES, c, m)));
  if (g.y) edgeCols.y = g.y;
  return { nodes: withMetadata(nodeCols, meta), edges: withMetadata(edgeCols, meta) };
}

/** One Arrow IPC file's table; unreadable bytes (truncated, corrupt, not Arrow) are the named file's error. */
function readTable(bytes: Uint8Array, file: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (err) {
    throw new InputError(file, undefined, `not a readable Arrow file (truncated or corrupt?): ${(err as Error).message}`);
  }
}

function typed<T>(t: Table, name: string, ctor: { new (n: number): T }, file: string): T {
  const v = t.getChild(name);
  if (!v) throw new InputError(file, undefined, `column ${name} missing`);
  const arr = v.toArray() as unknown;
  if (!(arr instanceof (ctor as unknown as abstract new (...args: never[]) => unknown)))
    throw new InputError(file, undefined, `column ${name} has type ${String(v.type)}`);
  return arr as T;
}

function interleave(t: Table, names: readonly string[], file: string): Float32Array {
  const rows = t.numRows;
  const out = new Float32Array(rows * names.length);
  names.forEach((name, c) => {
    const col = typed(t, name, Float32Array, file);
    for (let i = 0; i < rows; i++) out[i * names.length + c] = col[i];
  });
  return out;
}

/** Reads a graph back from its two Arrow files' bytes. `files` names them in errors (one label for both, or each its
 * own: a truncated edges file is then blamed on the edges file). */
export function graphFromArrow(
  nodesBytes: Uint8Array,
  edgesBytes: Uint8Array,
  files: string | { nodes: string; edges: string } = 'graph',
): Graph {
  const names = typeof files === 'string' ? { nodes: files, edges: files } : files;
  const file = names.nodes;
  const nt = readTable(nodesBytes, names.nodes);
  const et = readTable(edgesBytes, names.edges);
  for (const [t, f] of [
    [nt, names.nodes],
    [et, names.edges],
  ] as const) {
    const format = t.schema.metadata.get('format');
    if (format !== GRAPH_FORMAT) throw new InputError(f, undefined, `format ${format ?? 'missing'}, expected ${GRAPH_FORMAT}`);
  }
  const g: Graph = {
    eventId: nt.schema.metadata.get('event_id') ?? '',
    hitId: typed(nt, 'hit_id', Uint32Array, file),
    volumeId: typed(nt, 'volume_id', Uint8Array, file),
    layer: typed(nt, 'layer', Uint8Array, file),
    nodeFeatures: interleave(nt, NODE_FEATURE_NAMES, file),
    src: typed(et, 'src', Uint32Array, names.edges),
    dst: typed(et, 'dst', Uint32Array, names.edges),
    edgeFeatures: interleave(et, EDGE_FEATURE_NAMES, names.edges),
  };
  // Edges name node rows: one past the end means the two files are not one graph.
  const n = g.hitId.length;
  for (let e = 0; e < g.src.length; e++) {
    if (g.src[e] >= n || g.dst[e] >= n) {
      throw new InputError(
        names.edges,
        undefined,
        `edge ${e} joins node rows ${g.src[e]} → ${g.dst[e]}, but ${names.nodes} has ${n} nodes: not the same graph`,
      );
    }
  }
  if (nt.getChild('particle_id')) {
    g.truth = {
      particleId: typed(nt, 'particle_id', BigUint64Array, file),
      particle: typed(nt, 'particle', Int32Array, file),
      rank: typed(nt, 'rank', Int32Array, file),
      ptGeV: typed(nt, 'pt_gev', Float32Array, file),
      vertexRMm: typed(nt, 'vertex_r_mm', Float32Array, file),
    };
  }
  if (et.getChild('y')) g.y = typed(et, 'y', Uint8Array, names.edges);
  return g;
}

/** Module map → Arrow: one row per module pair, modules named by (volume, layer, module id) so the file does not
 * depend on detector row order. */
export function moduleMapToArrow(map: ModuleMap, modules: ModuleLookup, info: Record<string, string>): Uint8Array {
  const m = map.dstModule.length;
  const srcRow = new Uint32Array(m);
  for (let s = 0; s < map.moduleCount; s++) for (let e = map.entryStart[s]; e < map.entryStart[s + 1]; e++) srcRow[e] = s;
  const pick = <T extends Uint8Array | Uint16Array>(col: T, rows: Uint32Array, C: { new (n: number): T }): T => {
    const out = new C(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]];
    return out;
  };
  const cols: Record<string, ArrayLike<unknown>> = {
    src_volume: pick(modules.volumeId, srcRow, Uint8Array),
    src_layer: pick(modules.layerId, srcRow, Uint8Array),
    src_module: pick(modules.moduleId, srcRow, Uint16Array),
    dst_volume: pick(modules.volumeId, map.dstModule, Uint8Array),
    dst_layer: pick(modules.layerId, map.dstModule, Uint8Array),
    dst_module: pick(modules.moduleId, map.dstModule, Uint16Array),
    count: map.count,
  };
  MM_FEATURE_NAMES.forEach((name, f) => {
    cols[`${name}_min`] = column(map.lo, MM_FEATURES, f, m);
    cols[`${name}_max`] = column(map.hi, MM_FEATURES, f, m);
  });
  return withMetadata(cols, { format: MODULE_MAP_FORMAT, ...info });
}

/** Arrow bytes → module map on `modules`' rows. Pairs naming modules the detector lacks are an error. */
export function moduleMapFromArrow(bytes: Uint8Array, modules: ModuleLookup, file = 'module map'): ModuleMap {
  const t = readTable(bytes, file);
  const format = t.schema.metadata.get('format');
  if (format !== MODULE_MAP_FORMAT) throw new InputError(file, undefined, `format ${format ?? 'missing'}, expected ${MODULE_MAP_FORMAT}`);
  const sv = typed(t, 'src_volume', Uint8Array, file);
  const sl = typed(t, 'src_layer', Uint8Array, file);
  const sm = typed(t, 'src_module', Uint16Array, file);
  const dv = typed(t, 'dst_volume', Uint8Array, file);
  const dl = typed(t, 'dst_layer', Uint8Array, file);
  const dm = typed(t, 'dst_module', Uint16Array, file);
  const count = typed(t, 'count', Uint32Array, file);
  const mins = MM_FEATURE_NAMES.map((n) => typed(t, `${n}_min`, Float32Array, file));
  const maxs = MM_FEATURE_NAMES.map((n) => typed(t, `${n}_max`, Float32Array, file));
  const entries = [];
  for (let e = 0; e < t.numRows; e++) {
    const src = modules.moduleIndexOf(sv[e], sl[e], sm[e]);
    const dst = modules.moduleIndexOf(dv[e], dl[e], dm[e]);
    if (src < 0 || dst < 0) throw new InputError(file, undefined, `row ${e} names a module the detector does not have`);
    entries.push({ src, dst, count: count[e], lo: mins.map((c) => c[e]), hi: maxs.map((c) => c[e]) });
  }
  entries.sort((p, q) => p.src - q.src || p.dst - q.dst);
  return moduleMapFromEntries(modules.moduleCount, entries);
}

/** Ring map → Arrow: one row per ring pair, rings named by (volume, layer, mean module-centre r and z in mm) so
 * the file applies to the built-in and the real detector alike. */
export function ringMapToArrow(map: RingMap, rings: ModuleRings, info: Record<string, string>): Uint8Array {
  const m = map.srcRing.length;
  const pick = <T extends Uint8Array | Float32Array>(col: T, rows: Uint32Array, C: { new (n: number): T }): T => {
    const out = new C(m);
    for (let i = 0; i < m; i++) out[i] = col[rows[i]];
    return out;
  };
  const cols: Record<string, ArrayLike<unknown>> = {
    src_volume: pick(rings.volumeId, map.srcRing, Uint8Array),
    src_layer: pick(rings.layerId, map.srcRing, Uint8Array),
    src_r_mm: pick(rings.rMm, map.srcRing, Float32Array),
    src_z_mm: pick(rings.zMm, map.srcRing, Float32Array),
    dst_volume: pick(rings.volumeId, map.dstRing, Uint8Array),
    dst_layer: pick(rings.layerId, map.dstRing, Uint8Array),
    dst_r_mm: pick(rings.rMm, map.dstRing, Float32Array),
    dst_z_mm: pick(rings.zMm, map.dstRing, Float32Array),
    count: map.count,
  };
  MM_FEATURE_NAMES.forEach((name, f) => {
    cols[`${name}_min`] = column(map.lo, MM_FEATURES, f, m);
    cols[`${name}_max`] = column(map.hi, MM_FEATURES, f, m);
  });
  return withMetadata(cols, { format: RING_MAP_FORMAT, ...info });
}

/** Arrow bytes → ring map on `rings`. A row naming a ring the detector lacks is an error. */
export function ringMapFromArrow(bytes: Uint8Array, rings: ModuleRings, file = 'ring map'): RingMap {
  const t = tableFromIPC(bytes);
  const format = t.schema.metadata.get('format');
  if (format !== RING_MAP_FORMAT) throw new Error(`${file}: format ${format ?? 'missing'}, expected ${RING_MAP_FORMAT}`);
  const ring = (side: 'src' | 'dst'): Uint32Array => {
    const v = typed(t, `${side}_volume`, Uint8Array, file);
    const l = typed(t, `${side}_layer`, Uint8Array, file);
    const r = typed(t, `${side}_r_mm`, Float32Array, file);
    const z = typed(t, `${side}_z_mm`, Float32Array, file);
    const out = new Uint32Array(t.numRows);
    const seen = new Map<string, number>();
    for (let e = 0; e < t.numRows; e++) {
      const key = `${v[e]}/${l[e]}/${r[e]}/${z[e]}`;
      let k = seen.get(key);
      if (k === undefined) seen.set(key, (k = findRing(rings, v[e], l[e], r[e], z[e])));
      if (k < 0)
        throw new Error(
          `${file}: row ${e} names a ring (volume ${v[e]}, layer ${l[e]}, r ${r[e]} mm, z ${z[e]} mm) the detector does not have`,
        );
      out[e] = k;
    }
    return out;
  };
  const m = t.numRows;
  const map: RingMap = {
    ringCount: rings.count,
    srcRing: ring('src'),
    dstRing: ring('dst'),
    count: typed(t, 'count', Uint32Array, file),
    lo: new Float32Array(m * MM_FEATURES),
    hi: new Float32Array(m * MM_FEATURES),
  };
  MM_FEATURE_NAMES.forEach((name, f) => {
    const mn = typed(t, `${name}_min`, Float32Array, file);
    const mx = typed(t, `${name}_max`, Float32Array, file);
    for (let e = 0; e < m; e++) {
      map.lo[e * MM_FEATURES + f] = mn[e];
      map.hi[e * MM_FEATURES + f] = mx[e];
    }
  });
  return map;
}

/** `<event>-edge-scores.arrow` (file name and format: src/core/run-files.ts) for graph `g`: one row per graph edge,
 * in graph edge order (src, dst node rows, their hit ids, score) — what `stage:infer` and the pipeline write and the
 * viewer reads. */
export function edgeScoresToArrow(g: Graph, scores: Float32Array): Uint8Array {
  const m = g.src.length;
  const srcHitId = new Uint32Array(m);
  const dstHitId = new Uint32Array(m);
  for (let e = 0; e < m; e++) {
    srcHitId[e] = g.hitId[g.src[e]];
    dstHitId[e] = g.hitId[g.dst[e]];
  }
  return edgeScoresToBytes({ src: g.src, dst: g.dst, srcHitId, dstHitId, score: scores });
}
