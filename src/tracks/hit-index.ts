// The event's hits as every track-building step reads them, computed once per event: transverse radius, azimuth and
// distance from the origin per hit, and each detector layer's hits sorted by (bin along the layer, φ). A step that
// searches a subset of the hits (the free ones) takes a LayerView of it: the master order filtered in one pass, no
// sort, so the seeds, the helix walks, the inward pass and the overlap step share one spatial index.
import { insideDetector } from '../trackml/detector-reach.ts';
import type { Hits } from '../trackml/types.ts';
import { sortByKey } from './sort.ts';

/** TrackML volumes: pixels 7–9, short strips 12–14, long strips 16–18; barrels 8, 13 and 17. */
export const BARREL_VOLUMES: ReadonlySet<number> = new Set([8, 13, 17]);
export const PIXEL_VOLUMES: ReadonlySet<number> = new Set([7, 8, 9]);
export const STRIP_VOLUMES: ReadonlySet<number> = new Set([12, 13, 14, 16, 17, 18]);
export const TRACKER_VOLUMES: ReadonlySet<number> = new Set([...PIXEL_VOLUMES, ...STRIP_VOLUMES]);

/** Width of a layer's bins along it, mm: a window (≤ 12 mm along) reads one or two bins of a layer 1–2 m long. */
export const LAYER_BIN_MM = 50;

export interface HitIndex {
  hits: Hits;
  /** Per hit: transverse radius √(x² + y²), azimuth atan2(y, x), squared and plain distance from the origin (3D). */
  rT: Float64Array;
  phi: Float64Array;
  d3sq: Float64Array;
  d3: Float64Array;
  /** Per hit: its layer (0..nLayers−1), −1 outside the tracker volumes or the detector's reach. */
  layerOf: Int32Array;
  /** Per layer: volume·256 + layer id, barrel or disk, and its hits in master order at [start[l], start[l + 1]). */
  layerKey: Int32Array;
  barrel: Uint8Array;
  start: Int32Array;
  /** Master order: rows sorted by (bin, φ) within each layer, with their φ and bin; bins of LAYER_BIN_MM from
   * alongMin[l], nBins[l] of them. */
  rows: Int32Array;
  rowBin: Int32Array;
  alongMin: Float64Array;
  nBins: Int32Array;
  /** Per master-order position m: φ, x, y, transverse radius and z of rows[m] — a layer view copies them in one
   * sequential pass instead of gathering from the event's columns at scattered rows. */
  mPhi: Float64Array;
  mX: Float64Array;
  mY: Float64Array;
  mR: Float64Array;
  mZ: Float64Array;
}

export function buildHitIndex(hits: Hits): HitIndex {
  const n = hits.hitId.length;
  const rT = new Float64Array(n);
  const phi = new Float64Array(n);
  const d3sq = new Float64Array(n);
  const d3 = new Float64Array(n);
  const layerOf = new Int32Array(n).fill(-1);
  const slotOfKey = new Int32Array(1 << 16).fill(-1);
  const keys: number[] = [];
  for (let r = 0; r < n; r++) {
    const x = hits.x[r],
      y = hits.y[r],
      z = hits.z[r];
    rT[r] = Math.sqrt(x * x + y * y);
    phi[r] = Math.atan2(y, x);
    d3sq[r] = x * x + y * y + z * z;
    d3[r] = Math.sqrt(d3sq[r]);
    const vol = hits.volumeId[r];
    // A hit outside the detector's reach (the readers refuse those; a library caller may not) is on no layer: it would
    // shift its layer's mean position and stretch its bins to gigabytes (issue 22, row 3).
    if (!TRACKER_VOLUMES.has(vol) || !insideDetector(x, y, z)) continue;
    const key = vol * 256 + hits.layerId[r];
    if (slotOfKey[key] < 0) slotOfKey[key] = keys.push(key) - 1;
    layerOf[r] = slotOfKey[key];
  }
  const nLayers = keys.length;
  const barrel = Uint8Array.from(keys, (k) => (BARREL_VOLUMES.has(k >> 8) ? 1 : 0));
  const idx: HitIndex = {
    hits,
    rT,
    phi,
    d3sq,
    d3,
    layerOf,
    layerKey: Int32Array.from(keys),
    barrel,
    start: new Int32Array(nLayers + 1),
    rows: new Int32Array(0),
    rowBin: new Int32Array(0),
    mPhi: new Float64Array(0),
    mX: new Float64Array(0),
    mY: new Float64Array(0),
    mR: new Float64Array(0),
    mZ: new Float64Array(0),
    alongMin: new Float64Array(nLayers).fill(Infinity),
    nBins: new Int32Array(nLayers),
  };
  const alongMax = new Float64Array(nLayers).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    const l = layerOf[r];
    if (l < 0) continue;
    idx.start[l + 1]++;
    const a = barrel[l] === 1 ? hits.z[r] : rT[r];
    if (a < idx.alongMin[l]) idx.alongMin[l] = a;
    if (a > alongMax[l]) alongMax[l] = a;
  }
  for (let l = 0; l < nLayers; l++) {
    idx.start[l + 1] += idx.start[l];
    idx.nBins[l] = Math.floor((alongMax[l] - idx.alongMin[l]) / LAYER_BIN_MM) + 1;
  }
  masterOrder(idx, n);
  return idx;
}

/** The master order: rows by φ (ties by row), then a stable counting sort by (layer, bin); then its per-position
 * columns. */
function masterOrder(idx: HitIndex, n: number): void {
  const { hits, phi, rT, layerOf, barrel } = idx;
  const nLayers = idx.layerKey.length;
  // By φ (ties by row), then a stable counting sort by (layer, bin).
  const byPhi = sortByKey(phi, n);
  const binOf = new Int32Array(n);
  const binBase = new Int32Array(nLayers + 1);
  for (let l = 0; l < nLayers; l++) binBase[l + 1] = binBase[l] + idx.nBins[l];
  const binCount = new Int32Array(binBase[nLayers] + 1);
  for (let r = 0; r < n; r++) {
    const l = layerOf[r];
    if (l < 0) continue;
    const b = Math.min(idx.nBins[l] - 1, Math.floor(((barrel[l] === 1 ? hits.z[r] : rT[r]) - idx.alongMin[l]) / LAYER_BIN_MM));
    binOf[r] = b;
    binCount[binBase[l] + b + 1]++;
  }
  for (let k = 0; k < binBase[nLayers]; k++) binCount[k + 1] += binCount[k];
  const total = idx.start[nLayers];
  const rows = new Int32Array(total);
  for (let m = 0; m < n; m++) {
    const r = byPhi[m];
    if (layerOf[r] >= 0) rows[binCount[binBase[layerOf[r]] + binOf[r]]++] = r;
  }
  idx.rows = rows;
  masterColumns(idx, binOf);
}

/** The master order's per-position columns (bin, φ, x, y, r, z of rows[m]), from each row's bin. */
function masterColumns(idx: HitIndex, binOf: Int32Array): void {
  const { rows, phi, rT, hits } = idx;
  const total = rows.length;
  idx.rowBin = new Int32Array(total);
  idx.mPhi = new Float64Array(total);
  idx.mX = new Float64Array(total);
  idx.mY = new Float64Array(total);
  idx.mR = new Float64Array(total);
  idx.mZ = new Float64Array(total);
  for (let m = 0; m < total; m++) {
    const r = rows[m];
    idx.rowBin[m] = binOf[r];
    idx.mPhi[m] = phi[r];
    idx.mX[m] = hits.x[r];
    idx.mY[m] = hits.y[r];
    idx.mR[m] = rT[r];
    idx.mZ[m] = hits.z[r];
  }
}

/** One layer's free hits, as a step searches them: master order filtered, with the statistics of the free hits. */
export interface LayerView {
  /** The layer (index into HitIndex.layerKey) and its key, volume·256 + layer id. */
  layer: number;
  key: number;
  barrel: boolean;
  /** Mean r (barrel) or mean z (disk) of the free hits, summed in row order; and their mean r and z. */
  position: number;
  meanR: number;
  meanZ: number;
  /** Extent of the free hits across the layer's position: z range (barrel) or r range (disk), mm. */
  lo: number;
  hi: number;
  /** Window half-widths (mm) and the across window's growth (mm per metre flown at pT = 1 GeV, × 1/pT). */
  acrossMm: number;
  alongMm: number;
  acrossGrowth: number;
  /** Free hits in master order, with φ, x, y, transverse radius, z and the coordinate along the layer (copies, so a
   * search over the layer reads contiguous memory rather than the event's columns at scattered rows). */
  rows: Int32Array;
  phi: Float64Array;
  x: Float64Array;
  y: Float64Array;
  r: Float64Array;
  z: Float64Array;
  along: Float64Array;
  /** Hits of bin b (LAYER_BIN_MM wide from alongMin) are [binStart[b], binStart[b + 1]). */
  binStart: Int32Array;
  alongMin: number;
  /** φ cells within each bin, so a window finds its first hit without a binary search: bin b has cellN[b] cells (a power
   * of two ≥ its hits) of scale cellScale[b] (phiCell), and cellStart[cellBase[b] + c] is its first hit whose cell is ≥ c. */
  cellN: Int32Array;
  cellScale: Float64Array;
  cellBase: Int32Array;
  cellStart: Int32Array;
}

/** The φ cell of an azimuth: ⌊(φ + π)·scale⌋ within [0, nCells] (monotone in φ, so cells follow the φ order). */
function phiCell(phi: number, scale: number, nCells: number): number {
  const c = Math.floor((phi + Math.PI) * scale);
  return c < 0 ? 0 : c > nCells ? nCells : c;
}

/** First index k in bin b of the view with phi[k] ≥ x (the bin's end when none): from x's cell start, a short scan. */
export function firstAtLeast(l: LayerView, b: number, end: number, x: number): number {
  let k = l.cellStart[l.cellBase[b] + phiCell(x, l.cellScale[b], l.cellN[b])];
  const phi = l.phi;
  while (k < end && phi[k] < x) k++;
  return k;
}

/** A layer's windows: half-widths (mm) and the across window's growth (0 when omitted). */
export interface LayerWindows {
  acrossMm: number;
  alongMm: number;
  acrossGrowth?: number;
}

/** Views of the layers of `volumes` restricted to the rows with free[row] = 1, in the order of each layer's first free
 * row (layers without a free hit are left out); `windows(volume)` gives each layer's windows. */
export function layerViews(
  idx: HitIndex,
  free: Uint8Array,
  volumes: ReadonlySet<number>,
  windows: (volume: number) => LayerWindows,
): LayerView[] {
  const { hits, layerKey } = idx;
  const nLayers = layerKey.length;
  const use = new Uint8Array(nLayers);
  for (let l = 0; l < nLayers; l++) use[l] = volumes.has(layerKey[l] >> 8) ? 1 : 0;
  const count = new Int32Array(nLayers);
  const firstRow = new Int32Array(nLayers).fill(-1);
  const sum = new Float64Array(nLayers);
  const sumR = new Float64Array(nLayers);
  const sumZ = new Float64Array(nLayers);
  const lo = new Float64Array(nLayers).fill(Infinity);
  const hi = new Float64Array(nLayers).fill(-Infinity);
  // Statistics in row order (the sums' rounding depends on it).
  for (let r = 0; r < free.length; r++) {
    const l = idx.layerOf[r];
    if (l < 0 || !free[r] || !use[l]) continue;
    if (firstRow[l] < 0) firstRow[l] = r;
    count[l]++;
    const rr = idx.rT[r];
    const z = hits.z[r];
    const barrel = idx.barrel[l] === 1;
    sum[l] += barrel ? rr : z;
    sumR[l] += rr;
    sumZ[l] += z;
    const extent = barrel ? z : rr;
    lo[l] = Math.min(lo[l], extent);
    hi[l] = Math.max(hi[l], extent);
  }
  const order: number[] = [];
  for (let l = 0; l < nLayers; l++) if (count[l] > 0) order.push(l);
  order.sort((a, b) => firstRow[a] - firstRow[b]);
  const views: LayerView[] = [];
  for (const l of order) {
    const w = windows(layerKey[l] >> 8);
    const view = filteredLayer(idx, l, free, count[l]);
    view.position = sum[l] / count[l];
    view.meanR = sumR[l] / count[l];
    view.meanZ = sumZ[l] / count[l];
    view.lo = lo[l];
    view.hi = hi[l];
    view.acrossMm = w.acrossMm;
    view.alongMm = w.alongMm;
    view.acrossGrowth = w.acrossGrowth ?? 0;
    views.push(view);
  }
  return views;
}

/** Layer l's n free hits in master order, binned and with φ cells (statistics and windows left for the caller). */
function filteredLayer(idx: HitIndex, l: number, free: Uint8Array, n: number): LayerView {
  const barrel = idx.barrel[l] === 1;
  const rows = new Int32Array(n);
  const phi = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const nBins = idx.nBins[l];
  const binStart = new Int32Array(nBins + 1);
  let k = 0;
  const { mPhi, mX, mY, mR, mZ, rowBin } = idx;
  for (let m = idx.start[l]; m < idx.start[l + 1]; m++) {
    const row = idx.rows[m];
    if (!free[row]) continue;
    rows[k] = row;
    phi[k] = mPhi[m];
    x[k] = mX[m];
    y[k] = mY[m];
    r[k] = mR[m];
    z[k] = mZ[m];
    binStart[rowBin[m] + 1]++;
    k++;
  }
  for (let b = 0; b < nBins; b++) binStart[b + 1] += binStart[b];
  const cellN = new Int32Array(nBins);
  const cellScale = new Float64Array(nBins);
  const cellBase = new Int32Array(nBins + 1);
  for (let b = 0; b < nBins; b++) {
    let nc = 1;
    while (nc < binStart[b + 1] - binStart[b]) nc *= 2;
    cellN[b] = nc;
    cellScale[b] = nc / (2 * Math.PI);
    cellBase[b + 1] = cellBase[b] + nc + 1;
  }
  const cellStart = new Int32Array(cellBase[nBins]);
  for (let b = 0; b < nBins; b++) {
    let k = binStart[b];
    const end = binStart[b + 1];
    const nc = cellN[b];
    for (let c = 0; c <= nc; c++) {
      while (k < end && phiCell(phi[k], cellScale[b], nc) < c) k++;
      cellStart[cellBase[b] + c] = k;
    }
  }
  return {
    layer: l,
    key: idx.layerKey[l],
    barrel,
    position: NaN,
    meanR: NaN,
    meanZ: NaN,
    lo: NaN,
    hi: NaN,
    acrossMm: NaN,
    alongMm: NaN,
    acrossGrowth: NaN,
    rows,
    phi,
    x,
    y,
    r,
    z,
    along: barrel ? z : r,
    binStart,
    alongMin: idx.alongMin[l],
    cellN,
    cellScale,
    cellBase,
    cellStart,
  };
}

/** A window query: azimuth ± dPhi, and the coordinate along the layer in [alongLo, alongHi]. Its fields are set by
 * the caller and read by windowQuery: doubles passed to a call that is not inlined are boxed (one allocation each),
 * and window queries run ~10⁶ times per event. */
export class Window {
  phi = NaN;
  dPhi = NaN;
  alongLo = NaN;
  alongHi = NaN;
}

/** Writes into `out` the indices k (into the view's arrays) of its hits with |Δφ| ≤ w.dPhi of w.phi in the bins that
 * overlap [w.alongLo, w.alongHi]; with `exact`, only those whose coordinate along the layer lies in that range.
 * Returns how many. Plain loops into a reused buffer, no callbacks. */
export function windowQuery(l: LayerView, w: Window, exact: boolean, out: Int32Array): number {
  const { alongLo, alongHi } = w;
  const nBins = l.binStart.length - 1;
  const b0 = Math.max(0, Math.floor((alongLo - l.alongMin) / LAYER_BIN_MM));
  const b1 = Math.min(nBins - 1, Math.floor((alongHi - l.alongMin) / LAYER_BIN_MM));
  // The φ window within [−π, π], and its other part where it crosses ±π (phiIntervals).
  const lo = w.phi - w.dPhi;
  const hi = w.phi + w.dPhi;
  const from0 = Math.max(lo, -Math.PI);
  const to0 = Math.min(hi, Math.PI);
  const parts = lo < -Math.PI || hi > Math.PI ? 2 : 1;
  const from1 = lo < -Math.PI ? lo + 2 * Math.PI : -Math.PI;
  const to1 = lo < -Math.PI ? Math.PI : hi - 2 * Math.PI;
  let n = 0;
  const lphi = l.phi;
  const along = l.along;
  for (let b = b0; b <= b1; b++) {
    const end = l.binStart[b + 1];
    if (l.binStart[b] === end) continue;
    for (let p = 0; p < parts; p++) {
      const to = p === 0 ? to0 : to1;
      let k = firstAtLeast(l, b, end, p === 0 ? from0 : from1);
      if (exact) {
        for (; k < end && lphi[k] <= to; k++) if (along[k] >= alongLo && along[k] <= alongHi) out[n++] = k;
      } else for (; k < end && lphi[k] <= to; k++) out[n++] = k;
    }
  }
  return n;
}
