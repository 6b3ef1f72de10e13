// The compact layer table: per (volume, layer) the few numbers that rebuild its module layout (rings or rows of
// equally spaced modules, their radius/z staggering, rotation, sizes). Derived once from detectors.csv and
// committed as trackml-data/layer-table.json, so the default detector needs no real file.
import { z } from 'zod';
import type { Detectors } from '../trackml/types.ts';
import { InputError } from '../core/errors.ts';
import { wrapPhi } from './helix-math.ts';
import { computeModuleExtents } from './module-shape.ts';

export const LAYER_TABLE_FORMAT = 'trackml-layer-table/1';

/** Sizes shared by many modules (TrackML has one per ring / per layer). */
const moduleTypeSchema = z.strictObject({
  minHalfUMm: z.number().positive(),
  maxHalfUMm: z.number().positive(),
  halfVMm: z.number().positive(),
  thicknessMm: z.number().positive(),
  pitchUMm: z.number().positive(),
  pitchVMm: z.number().positive(),
});

/** A barrel row (modules at one z, going round in φ) or an endcap ring (modules at one r). Module k of the group
 * (k = 0 … count−1, φ ascending) sits at φ = phi0Rad + k·2π/count, r = rMm + rOffsetsMm[k mod len],
 * z = zMm + zOffsetsMm[k mod len]: the offsets are the repeating stagger pattern. */
export interface ModuleGroup {
  count: number;
  phi0Rad: number;
  rMm: number;
  zMm: number;
  rOffsetsMm: number[];
  zOffsetsMm: number[];
  moduleType: number;
}

const column = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/** The groups of a layer, stored column-wise to stay small: each column holds either one value shared by all
 * groups or one value per group (in group order: barrel rows by z, endcap rings by r). */
const groupColumnsSchema = z.strictObject({
  groupCount: z.number().int().positive(),
  count: column(z.number().int().positive()),
  phi0Rad: column(z.number()),
  rMm: column(z.number().nonnegative()),
  zMm: column(z.number()),
  rOffsetsMm: column(z.array(z.number()).min(1)),
  zOffsetsMm: column(z.array(z.number()).min(1)),
  moduleType: column(z.number().int().nonnegative()),
});

const layerSchema = z.strictObject({
  volumeId: z.number().int().min(0).max(255),
  layerId: z.number().int().min(0).max(255),
  kind: z.enum(['barrel', 'endcap']),
  /** −1 / +1: endcap on the −z / +z side; 0: barrel. */
  side: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  /** Module rotation in the frame turned by the module's φ: R = Rz(φ) · rotationInPhiFrame (row-major, like
   * detectors.csv). Barrel tilt and endcap orientation (w = ±z) live here. */
  rotationInPhiFrame: z.array(z.number()).length(9),
  /** Barrel only: tilt of the module normal w from the radial direction, atan2(w·φ̂, w·r̂); 0 for endcaps. */
  tiltRad: z.number(),
  /** moduleType entries index the table's `moduleTypes`. */
  groups: groupColumnsSchema,
  /** How module ids 1…N are dealt to the groups: −1 = group after group in order (barrel rows), otherwise an
   * index into the table's `groupSequences` (endcap rings interleave their ids). */
  groupSequence: z.number().int().min(-1),
  /** Extent of the layer incl. module sizes and thickness (informational; the index recomputes it). */
  rMinMm: z.number(),
  rMaxMm: z.number(),
  zMinMm: z.number(),
  zMaxMm: z.number(),
});

export const layerTableSchema = z.strictObject({
  format: z.literal(LAYER_TABLE_FORMAT),
  /** What the table was derived from, e.g. "detectors.csv.gz (18728 modules)". */
  source: z.string(),
  moduleCount: z.number().int().positive(),
  /** Sizes shared by many modules; groups refer to them by index. */
  moduleTypes: z.array(moduleTypeSchema).min(1),
  /** Id orders, one base-36 digit (group index) per module: module id j + 1 goes to the next module (in φ) of
   * group sequence[j]. Shared by the layers that use the same order. */
  groupSequences: z.array(z.string().regex(/^[0-9a-z]+$/)),
  layers: z.array(layerSchema).min(1),
});

export type ModuleType = z.infer<typeof moduleTypeSchema>;
export type GroupColumns = z.infer<typeof groupColumnsSchema>;
export type LayerTableLayer = z.infer<typeof layerSchema>;
export type LayerTable = z.infer<typeof layerTableSchema>;

/** Validates an untyped value (parsed JSON) as a layer table; `file` names it in the error. */
export function parseLayerTable(value: unknown, file: string): LayerTable {
  const parsed = layerTableSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(file, undefined, `not a layer table: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const table = parsed.data;
  for (const layer of table.layers) {
    const where = `volume ${layer.volumeId} layer ${layer.layerId}`;
    const g = layer.groups;
    for (const [name, col] of Object.entries(g)) {
      if (Array.isArray(col) && col.length !== 1 && col.length !== g.groupCount) {
        throw new InputError(file, undefined, `${where}: groups.${name} has ${col.length} values, expected 1 or ${g.groupCount}`);
      }
    }
    const groups = unpackGroups(layer);
    if (groups.length > 36) throw new InputError(file, undefined, `${where}: more than 36 groups`);
    for (const grp of groups) {
      if (grp.moduleType >= table.moduleTypes.length) {
        throw new InputError(file, undefined, `${where}: unknown moduleType ${grp.moduleType}`);
      }
    }
    const total = groups.reduce((s, grp) => s + grp.count, 0);
    if (layer.groupSequence >= table.groupSequences.length) {
      throw new InputError(file, undefined, `${where}: unknown groupSequence ${layer.groupSequence}`);
    }
    if (layer.groupSequence >= 0) {
      const sequence = table.groupSequences[layer.groupSequence];
      if (sequence.length !== total) {
        throw new InputError(file, undefined, `${where}: groupSequence has ${sequence.length} entries, expected ${total}`);
      }
      const seen = new Int32Array(groups.length);
      for (const ch of sequence) {
        const gi = parseInt(ch, 36);
        if (gi >= groups.length) throw new InputError(file, undefined, `${where}: groupSequence names group ${gi}`);
        seen[gi]++;
      }
      groups.forEach((grp, gi) => {
        if (seen[gi] !== grp.count) {
          const why = `groupSequence gives group ${gi} ${seen[gi]} modules, expected ${grp.count}`;
          throw new InputError(file, undefined, `${where}: ${why}`);
        }
      });
    }
  }
  return table;
}

/** The groups of a layer as one object per group. */
export function unpackGroups(layer: LayerTableLayer): ModuleGroup[] {
  const c = layer.groups;
  const at = <T>(col: T[], g: number): T => (col.length === 1 ? col[0] : col[g]);
  return Array.from({ length: c.groupCount }, (_, g) => ({
    count: at(c.count, g),
    phi0Rad: at(c.phi0Rad, g),
    rMm: at(c.rMm, g),
    zMm: at(c.zMm, g),
    rOffsetsMm: at(c.rOffsetsMm, g),
    zOffsetsMm: at(c.zOffsetsMm, g),
    moduleType: at(c.moduleType, g),
  }));
}

/** Stores each column once when all groups share its value. */
function packGroups(groups: ModuleGroup[]): GroupColumns {
  const col = <T>(values: T[]): T[] => {
    const first = JSON.stringify(values[0]);
    return values.every((x) => JSON.stringify(x) === first) ? [values[0]] : values;
  };
  return {
    groupCount: groups.length,
    count: col(groups.map((g) => g.count)),
    phi0Rad: col(groups.map((g) => g.phi0Rad)),
    rMm: col(groups.map((g) => g.rMm)),
    zMm: col(groups.map((g) => g.zMm)),
    rOffsetsMm: col(groups.map((g) => g.rOffsetsMm)),
    zOffsetsMm: col(groups.map((g) => g.zOffsetsMm)),
    moduleType: col(groups.map((g) => g.moduleType)),
  };
}

// Clustering tolerance: rows / rings are ≥ 60 mm apart, staggering within one is ≤ 6 mm.
const GROUP_GAP_MM = 20;
// A stagger pattern must reproduce every module to this precision (the file has 4–6 significant digits).
const PATTERN_TOLERANCE_MM = 0.01;
const MAX_PATTERN_PERIOD = 8;
// Modules of a row/ring must be equally spaced in φ to this arc length, and share the layer's rotation in the
// φ frame to this much per matrix element; otherwise the table cannot describe the layer.
const PHI_SPACING_TOLERANCE_MM = 0.05;
const ROTATION_TOLERANCE = 1e-4;

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no -0 in the JSON
}

/** Smallest period p (dividing count, ≤ MAX_PATTERN_PERIOD) whose per-phase means reproduce all values; the
 * per-phase means relative to `base`. Falls back to the full list. */
function staggerPattern(values: Float64Array, base: number): number[] {
  const n = values.length;
  for (let p = 1; p <= Math.min(MAX_PATTERN_PERIOD, n); p++) {
    if (n % p !== 0) continue;
    const mean = new Float64Array(p);
    for (let k = 0; k < n; k++) mean[k % p] += values[k] / (n / p);
    let ok = true;
    for (let k = 0; k < n && ok; k++) ok = Math.abs(values[k] - mean[k % p]) <= PATTERN_TOLERANCE_MM;
    if (ok) return Array.from(mean, (m) => round(m - base, 3));
  }
  return Array.from(values, (v) => round(v - base, 3));
}

/** Splits sorted keys into clusters separated by gaps > GROUP_GAP_MM; returns a cluster index per item. */
function clusterByKey(keys: Float64Array): { clusterOf: Int32Array; count: number } {
  const order = Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b]);
  const clusterOf = new Int32Array(keys.length);
  let c = 0;
  for (let j = 0; j < order.length; j++) {
    if (j > 0 && keys[order[j]] - keys[order[j - 1]] > GROUP_GAP_MM) c++;
    clusterOf[order[j]] = c;
  }
  return { clusterOf, count: order.length === 0 ? 0 : c + 1 };
}

/** Module rows of each (volume, layer), layers sorted by (volume, layer). */
export function groupRowsByLayer(det: Detectors): { volumeId: number; layerId: number; rows: number[] }[] {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < det.volumeId.length; i++) {
    const key = det.volumeId[i] * 256 + det.layerId[i];
    let rows = byKey.get(key);
    if (rows === undefined) byKey.set(key, (rows = []));
    rows.push(i);
  }
  return [...byKey.keys()].sort((a, b) => a - b).map((key) => ({ volumeId: key >> 8, layerId: key & 255, rows: byKey.get(key)! }));
}

/** Derives the compact layer table from a full detector description. Throws InputError when a layer does not
 * follow the rings/rows pattern the table can express (then the procedural detector could not match it). */
export function deriveLayerTable(det: Detectors, source: string): LayerTable {
  const ext = computeModuleExtents(det);
  const layers: LayerTableLayer[] = [];
  const moduleTypes: ModuleType[] = [];
  const typeKeyToIndex = new Map<string, number>();
  const groupSequences: string[] = [];
  for (const { volumeId, layerId, rows } of groupRowsByLayer(det)) {
    const where = `volume ${volumeId} layer ${layerId}`;
    // Endcap modules face along z (w ≈ ±z), barrel modules face outwards.
    let endcapVotes = 0;
    for (const i of rows) if (Math.abs(det.rot[9 * i + 8]) > 0.7) endcapVotes++;
    const kind: 'barrel' | 'endcap' = endcapVotes * 2 > rows.length ? 'endcap' : 'barrel';

    const rOf = (i: number): number => Math.hypot(det.cx[i], det.cy[i]);
    const phiOf = (i: number): number => Math.atan2(det.cy[i], det.cx[i]);
    const keys = Float64Array.from(rows, (i) => (kind === 'barrel' ? det.cz[i] : rOf(i)));
    const { clusterOf, count: groupCount } = clusterByKey(keys);
    if (groupCount > 36) throw new InputError(source, undefined, `${where}: ${groupCount} rows/rings, at most 36 supported`);

    // Rotation in the φ frame, Rz(−φ) · R, per module; the layer's is the mean, checked against the
    // element-wise median so that one odd module is named rather than blurring the mean.
    const inPhiFrame = new Float64Array(9 * rows.length);
    rows.forEach((i, j) => {
      const phi = phiOf(i);
      const c = Math.cos(phi);
      const s = Math.sin(phi);
      const o = 9 * i;
      for (let col = 0; col < 3; col++) {
        const gx = det.rot[o + col];
        const gy = det.rot[o + 3 + col];
        inPhiFrame[9 * j + col] = c * gx + s * gy;
        inPhiFrame[9 * j + 3 + col] = -s * gx + c * gy;
        inPhiFrame[9 * j + 6 + col] = det.rot[o + 6 + col];
      }
    });
    const r0 = new Float64Array(9);
    for (let e = 0; e < 9; e++) {
      const values = Array.from(rows, (_, j) => inPhiFrame[9 * j + e]).sort((a, b) => a - b);
      const median = values[values.length >> 1];
      rows.forEach((i, j) => {
        if (Math.abs(inPhiFrame[9 * j + e] - median) > ROTATION_TOLERANCE) {
          throw new InputError(source, undefined, `${where}: module ${det.moduleId[i]} is rotated unlike the rest of its layer`);
        }
      });
      r0[e] = values.reduce((a, b) => a + b, 0) / values.length;
    }
    // w in the φ frame is (w·r̂, w·φ̂, w·z): the barrel tilt is its turn away from r̂.
    const tiltRad = kind === 'barrel' ? Math.atan2(r0[5], r0[2]) : 0;

    const typeOf = (i: number): number => {
      const t: ModuleType = {
        minHalfUMm: det.minHalfUMm[i],
        maxHalfUMm: det.maxHalfUMm[i],
        halfVMm: det.halfVMm[i],
        thicknessMm: det.thicknessMm[i],
        pitchUMm: det.pitchUMm[i],
        pitchVMm: det.pitchVMm[i],
      };
      const key = Object.values(t).join(',');
      let idx = typeKeyToIndex.get(key);
      if (idx === undefined) {
        idx = moduleTypes.length;
        moduleTypes.push(t);
        typeKeyToIndex.set(key, idx);
      }
      return idx;
    };

    const groups: ModuleGroup[] = [];
    const groupOfRow = new Int32Array(rows.length);
    for (let g = 0; g < groupCount; g++) {
      const members = rows.filter((_, j) => clusterOf[j] === g).sort((a, b) => phiOf(a) - phiOf(b));
      const n = members.length;
      const step = (2 * Math.PI) / n;
      let sx = 0;
      let sy = 0;
      members.forEach((i, k) => {
        sx += Math.cos(phiOf(i) - k * step);
        sy += Math.sin(phiOf(i) - k * step);
      });
      const phi0 = Math.atan2(sy, sx);
      const rs = Float64Array.from(members, rOf);
      const zs = Float64Array.from(members, (i) => det.cz[i]);
      const rMean = rs.reduce((a, b) => a + b, 0) / n;
      members.forEach((i, k) => {
        if (rMean * Math.abs(wrapPhi(phiOf(i) - phi0 - k * step)) > PHI_SPACING_TOLERANCE_MM) {
          const around = `r = ${rMean.toFixed(1)} mm, z = ${det.cz[i].toFixed(1)} mm`;
          throw new InputError(source, undefined, `${where}: the ${n} modules around ${around} are not equally spaced in φ`);
        }
        // The procedural detector hands ids out along φ within a group.
        if (k > 0 && det.moduleId[i] < det.moduleId[members[k - 1]]) {
          const why = `module ids of one row/ring do not rise with φ (module ${det.moduleId[i]})`;
          throw new InputError(source, undefined, `${where}: ${why}`);
        }
      });
      const zMean = zs.reduce((a, b) => a + b, 0) / n;
      const rBase = round(rMean, 3);
      const zBase = round(zMean, 3);
      const type = typeOf(members[0]);
      for (const i of members) {
        if (typeOf(i) !== type) throw new InputError(source, undefined, `${where}: modules of one row/ring differ in size`);
      }
      groups.push({
        count: n,
        phi0Rad: round(phi0, 9),
        rMm: rBase,
        zMm: zBase,
        rOffsetsMm: staggerPattern(rs, rBase),
        zOffsetsMm: staggerPattern(zs, zBase),
        moduleType: type,
      });
      for (let j = 0; j < rows.length; j++) if (clusterOf[j] === g) groupOfRow[j] = g;
    }

    // Ids: sort the layer's modules by module id; within each group ids must rise with φ (k).
    const byId = rows.map((i, j) => ({ id: det.moduleId[i], g: groupOfRow[j] }));
    byId.sort((a, b) => a.id - b.id);
    byId.forEach((m, j) => {
      if (m.id !== j + 1) throw new InputError(source, undefined, `${where}: module ids are not 1…${rows.length}`);
    });
    let contiguous = true;
    for (let j = 1; j < byId.length && contiguous; j++) contiguous = byId[j].g >= byId[j - 1].g;
    let sequenceIndex = -1;
    if (!contiguous) {
      const sequence = byId.map((m) => m.g.toString(36)).join('');
      sequenceIndex = groupSequences.indexOf(sequence);
      if (sequenceIndex < 0) sequenceIndex = groupSequences.push(sequence) - 1;
    }

    let rMin = Infinity;
    let rMax = -Infinity;
    let zMin = Infinity;
    let zMax = -Infinity;
    let zSum = 0;
    for (const i of rows) {
      zSum += det.cz[i];
      rMin = Math.min(rMin, ext.rMinMm[i]);
      rMax = Math.max(rMax, ext.rMaxMm[i]);
      zMin = Math.min(zMin, ext.zMinMm[i]);
      zMax = Math.max(zMax, ext.zMaxMm[i]);
    }

    layers.push({
      volumeId,
      layerId,
      kind,
      side: kind === 'barrel' ? 0 : zSum < 0 ? -1 : 1,
      // Snap 0.9999999-style values: they are ±1 or 0 up to the file's rounding.
      rotationInPhiFrame: Array.from(r0, (x) => (Math.abs(x - Math.round(x)) < 1e-6 ? Math.round(x) : round(x, 7)) + 0),
      tiltRad: round(tiltRad, 7),
      groups: packGroups(groups),
      groupSequence: sequenceIndex,
      rMinMm: round(rMin, 2),
      rMaxMm: round(rMax, 2),
      zMinMm: round(zMin, 2),
      zMaxMm: round(zMax, 2),
    });
  }
  return { format: LAYER_TABLE_FORMAT, source, moduleCount: det.volumeId.length, moduleTypes, groupSequences, layers };
}

/** The table as committed: one layer per line, so diffs show which layer changed. */
export function formatLayerTable(table: LayerTable): string {
  const lines = (items: unknown[]): string => `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]`;
  const { layers, moduleTypes, groupSequences, ...head } = table;
  return (
    `${JSON.stringify(head).slice(0, -1)},\n"moduleTypes":${lines(moduleTypes)},\n` +
    `"groupSequences":${lines(groupSequences)},\n"layers":${lines(layers)}}\n`
  );
}
