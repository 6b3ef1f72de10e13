// Extends tracks found in the pixel detector into the strip layers: a helix through the beamline and the track's
// hits is extrapolated layer by layer and the best unclaimed strip hit inside a window joins the track (then the
// helix is refitted through it). Pixel-only graphs leave strip hits as single-hit tracks; this recovers them. The
// same walk (followHelix, with one layer of lookahead) follows the seeded tracks of src/tracks/seeds.ts.
import { z } from 'zod';
import { groupIds64 } from '../../scoring/dense-ids.ts';
import type { Hits } from '../trackml/types.ts';
import { lowerBound, phiIntervals } from './phi-window.ts';
import { MM_PER_GEV, wrapPhi } from '../geometry/helix-math.ts';

// Math.hypot is several times slower than the square root in V8; this runs ~10^6 times per event.
const len2 = (x: number, y: number): number => Math.sqrt(x * x + y * y);

/** TrackML volumes: pixels 7–9, short strips 12–14, long strips 16–18; barrels 8, 13 and 17. */
const BARREL_VOLUMES = new Set([8, 13, 17]);
export const PIXEL_VOLUMES: ReadonlySet<number> = new Set([7, 8, 9]);
export const STRIP_VOLUMES: ReadonlySet<number> = new Set([12, 13, 14, 16, 17, 18]);

export const extendConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Tracks with at least this many hits are extended. */
  minHits: z.number().int().min(2).default(3),
  /** Window across the strips (r·Δφ), mm, on the short (13) and long (17) strip barrel layers. Residuals of true
   * strip hits to the helix of a pixel-only track, simulated MU = 200: across 50/80/90 % at 0.5/2/5 mm (short)
   * and 4/12/25 mm (long); along 0.4/1/1.7 mm (short) and 3.5/7/12 mm (long). Windows at ~85 % keep 97 %
   * of the added hits right. The short-strip window is this plus shortAcrossGrowth's share. */
  shortAcrossMm: z.number().positive().default(3),
  longAcrossMm: z.number().positive().default(12),
  /** The same on the strip disks (endcap volumes 12, 14, 16, 18). Wider than in the barrel: on the real 5 % sample the
   * next true hit of a prompt particle lies across its helix by 8 mm (short-strip disks) and 55 mm (long-strip
   * disks) at 90 %, against 2 and 6 mm in our simulated events (whose endcap strip hits are too precise); 5 and 20
   * mm instead of 3 and 12 raised the real sample's score 0.855 → 0.868 for −0.001 on simulated events. */
  shortDiskAcrossMm: z.number().positive().default(5),
  longDiskAcrossMm: z.number().positive().default(20),
  /** The short-strip across window grows by this many mm per metre flown since the track's outermost hit, times
   * 1/pT (GeV⁻¹) of its helix: residuals of true next hits to the helix of a particle's earlier hits (simulated
   * MU = 200) scale as distance / pT, at 90 % ≈ 6 mm per m·GeV⁻¹ in the short strips. 3 mm + 10 instead of a fixed
   * 5 mm raised the score 0.859 → 0.867 on npm start's events, 0.860 → 0.866 on the pipeline benchmark's (real
   * sample 0.833 → 0.836); a growing pixel window (seeds) or long-strip window did not help. */
  shortAcrossGrowth: z.number().min(0).default(10),
  /** Window along the strips (Δz in the barrel, Δr in the endcaps), mm. The residuals above are of pT > 1 pixel
   * tracks; the seeded tracks of slower particles scatter more, and on simulated MU = 200 events (npm start's) a short
   * strip window of 10 mm instead of 4 raised the score 0.815 → 0.843 (fake rate of pT > 1 tracks 0.0044 → 0.0052;
   * 12 mm: 0.844 at 0.0072; 10 mm for the seeded tracks only, 4 for the GNN's: 0.838 at 0.0064). */
  shortAlongMm: z.number().positive().default(10),
  longAlongMm: z.number().positive().default(12),
  /** Hits per layer (cheapest first) tried with one layer of lookahead before one is taken. */
  lookaheadCandidates: z.number().int().min(1).max(16).default(4),
  /** After the seeds: tracks take free pixel hits on layers their helix crosses before their innermost hit, and in
   * the holes between their pixel hits (extendInwards), within this window (across, along), mm. Simulated MU = 200:
   * score +0.004 (inside), +0.002 (holes). */
  inwards: z.boolean().default(true),
  inwardsAcrossMm: z.number().positive().default(2),
  inwardsAlongMm: z.number().positive().default(4),
});
export type ExtendConfig = z.output<typeof extendConfigSchema>;

export interface Layer {
  barrel: boolean;
  /** Mean r (barrel) or mean z (endcap disk) of the layer's hits in this event, mm. */
  position: number;
  acrossMm: number;
  alongMm: number;
  /** Growth of the across window with the transverse distance flown since the track's outermost hit, in mm per metre
   * at pT = 1 GeV, scaled by 1/pT of the helix (multiple scattering and the helix's curvature error both grow so). */
  acrossGrowth: number;
  /** Extent of the layer's hits across its position: z range (barrel) or r range (disk), mm. */
  lo: number;
  hi: number;
  /** Candidate hit rows sorted by (bin along the layer, φ), and their φ, transverse radius and coordinate along the
   * layer (z on a barrel layer, r on a disk), so a window reads only the bins it overlaps, in contiguous arrays. */
  rows: Int32Array;
  phi: Float64Array;
  r: Float64Array;
  along: Float64Array;
  /** Hits of bin b (LAYER_BIN_MM wide from alongMin) are [binStart[b], binStart[b + 1]). */
  binStart: Int32Array;
  alongMin: number;
}

/** Helix through the origin (prompt track): circle centre (cx, cy), radius rc, rotation sense, z = z0 + slope·s with
 * s the transverse arc length from the origin. A `general` helix (a secondary's: its circle need not pass the origin)
 * measures s from the circle's point closest to the origin (distance |dc − rc|), and its sense is the turn around the
 * centre. */
interface Helix {
  cx: number;
  cy: number;
  rc: number;
  sense: number;
  z0: number;
  slope: number;
  general: boolean;
  /** Distance of the centre from the origin (general helices). */
  dc: number;
}

/** Transverse arc length at which the helix first reaches distance d from the origin; NaN when it never does (a
 * general helix: d below its closest approach or beyond its reach). */
function arcAt(h: Helix, d: number): number {
  if (!h.general) return arcTo(d, h.rc);
  const cosA = turnCos(h, d);
  return cosA > 1 || cosA < -1 ? NaN : h.rc * Math.acos(cosA);
}

/** General helix: cosine of the turn around the centre, from the point closest to the origin to the points at
 * distance d from the origin (outside [−1, 1]: none). */
function turnCos(h: Helix, d: number): number {
  return (h.dc * h.dc + h.rc * h.rc - d * d) / (2 * h.dc * h.rc);
}

/** Least-squares z = z0 + slope·s over the rows other than `skip` (s: arcAt; rows the helix never reaches are left
 * out), written into h; false when degenerate. */
function fitSlope(hits: Hits, rows: readonly number[], skip: number, h: Helix): boolean {
  let n = 0, ss = 0, sz = 0, sss = 0, ssz = 0;
  for (const r of rows) {
    if (r === skip) continue;
    const s = arcAt(h, len2(hits.x[r], hits.y[r]));
    if (!Number.isFinite(s)) continue;
    n++; ss += s; sz += hits.z[r]; sss += s * s; ssz += s * hits.z[r];
  }
  const den = n * sss - ss * ss;
  if (n < 2 || Math.abs(den) < 1e-9) return false;
  h.slope = (n * ssz - ss * sz) / den;
  h.z0 = (sz - h.slope * ss) / n;
  return true;
}

export function circleThroughOrigin(x1: number, y1: number, x2: number, y2: number): { cx: number; cy: number; rc: number } | undefined {
  // Centre (cx, cy) equidistant from (0,0), p1 and p2: 2·cx·x + 2·cy·y = x² + y² for both points.
  const det = 2 * (x1 * y2 - x2 * y1);
  if (Math.abs(det) < 1e-9) return undefined; // collinear: infinite momentum, extrapolate as a line below
  const a = x1 * x1 + y1 * y1;
  const b = x2 * x2 + y2 * y2;
  const cx = (a * y2 - b * y1) / det;
  const cy = (b * x1 - a * x2) / det;
  return { cx, cy, rc: len2(cx, cy) };
}

/** Arc length from the origin to a point at distance d from it on the circle. */
const arcTo = (d: number, rc: number): number => 2 * rc * Math.asin(Math.min(1, d / (2 * rc)));

/** Transverse residual (mm) above which a hit is left out of the helix fit: a wrong hit on the track (often its
 * outermost one) would otherwise bend the extrapolation away from the particle's strip hits. */
const OUTLIER_MM = 2;

/** Least-squares circle through the origin and the rows' hits (x² + y² = 2a·x + 2b·y is linear in the centre). */
function circleFit(hits: Hits, rows: readonly number[], skip: number): { cx: number; cy: number; rc: number } | undefined {
  let sxx = 0, sxy = 0, syy = 0, sx3 = 0, sy3 = 0;
  for (const r of rows) {
    if (r === skip) continue;
    const x = hits.x[r], y = hits.y[r], q = x * x + y * y;
    sxx += x * x; sxy += x * y; syy += y * y; sx3 += x * q; sy3 += y * q;
  }
  const det = sxx * syy - sxy * sxy;
  // Collinear with the origin (infinite momentum): no finite circle.
  if (Math.abs(det) < 1e-9 * (sxx + syy) * (sxx + syy)) return undefined;
  const cx = (sx3 * syy - sy3 * sxy) / (2 * det);
  const cy = (sy3 * sxx - sx3 * sxy) / (2 * det);
  return { cx, cy, rc: len2(cx, cy) };
}

const residual = (hits: Hits, r: number, c: { cx: number; cy: number; rc: number }): number => Math.abs(len2(hits.x[r] - c.cx, hits.y[r] - c.cy) - c.rc);

function maxResidual(hits: Hits, rows: readonly number[], c: { cx: number; cy: number; rc: number }, skip: number): number {
  let m = 0;
  for (const r of rows) if (r !== skip) m = Math.max(m, residual(hits, r, c));
  return m;
}

function squaredResiduals(hits: Hits, rows: readonly number[], c: { cx: number; cy: number; rc: number }, skip: number): number {
  let sum = 0;
  for (const r of rows) if (r !== skip) sum += residual(hits, r, c) ** 2;
  return sum;
}

/** The hit to leave out of the helix fit of `rows`, or −1: with four hits or more and a hit more than OUTLIER_MM
 * off their least-squares circle, the hit whose removal fits the others best (two hits on one layer can both be off
 * a circle pulled between them; leaving one out tells which is wrong). */
function outlier(hits: Hits, rows: readonly number[]): number {
  let skip = -1;
  const all = rows.length >= 4 ? circleFit(hits, rows, -1) : undefined;
  if (all && maxResidual(hits, rows, all, -1) > OUTLIER_MM) {
    let bestSq = Infinity;
    for (const r of rows) {
      const cr = circleFit(hits, rows, r);
      if (!cr) continue;
      const sq = squaredResiduals(hits, rows, cr, r);
      if (sq < bestSq) {
        bestSq = sq;
        skip = r;
      }
    }
  }
  return skip;
}

/** Helix of `rows` (sorted by distance from the origin; the last is the outermost) without the row `skip`; `general`:
 * through the first, middle and outermost hit instead of the origin (needs three kept rows). */
function fitHelix(hits: Hits, rows: number[], skip = -1, general = false): Helix | undefined {
  // The helix: circle through the origin, the middle and the outermost hit kept. (The least-squares circle, tried
  // instead, lost displaced tracks: the outermost hit's lever arm matters more than the origin constraint there.)
  // No temporary arrays or object spreads: this runs ~10⁶ times per event.
  const si = skip < 0 ? -1 : rows.indexOf(skip);
  const nKept = si < 0 ? rows.length : rows.length - 1;
  // The i-th kept row is rows[i] before the skipped one, rows[i + 1] after it (no closure: tsx names each one).
  const im = nKept >> 1;
  const io = nKept - 1;
  const m = si < 0 || im < si ? rows[im] : rows[im + 1];
  const o = si < 0 || io < si ? rows[io] : rows[io + 1];
  if (general && nKept >= 3) {
    const f = si === 0 ? rows[1] : rows[0];
    const g = generalHelix(hits, rows, skip, f, m, o);
    if (g) return g;
  }
  let cx: number, cy: number, rc: number;
  const c = circleThroughOrigin(hits.x[m], hits.y[m], hits.x[o], hits.y[o]);
  if (!c || c.rc > 1e6) {
    cx = -hits.y[o] * 1e6;
    cy = hits.x[o] * 1e6;
    rc = 1e6 * len2(hits.x[o], hits.y[o]);
  } else {
    ({ cx, cy, rc } = c);
  }
  // Sense: +1 when the track turns counter-clockwise around the centre as it leaves the origin.
  const sense = Math.sign(cx * hits.y[o] - cy * hits.x[o]) || 1;
  const h: Helix = { cx, cy, rc, sense, slope: 0, z0: 0, general: false, dc: rc };
  return fitSlope(hits, rows, skip, h) ? h : undefined;
}

/** General helix: the circle through hits f, m and o, z against the arc length from its point closest to the origin
 * (rows other than `skip`); undefined when the three are (nearly) collinear or the z fit is degenerate. */
function generalHelix(hits: Hits, rows: number[], skip: number, f: number, m: number, o: number): Helix | undefined {
  const xa = hits.x[f], ya = hits.y[f], xb = hits.x[m], yb = hits.y[m], xc = hits.x[o], yc = hits.y[o];
  const d = 2 * (xa * (yb - yc) + xb * (yc - ya) + xc * (ya - yb));
  if (Math.abs(d) < 1e-9) return undefined;
  const a2 = xa * xa + ya * ya, b2 = xb * xb + yb * yb, c2 = xc * xc + yc * yc;
  const cx = (a2 * (yb - yc) + b2 * (yc - ya) + c2 * (ya - yb)) / d;
  const cy = (a2 * (xc - xb) + b2 * (xa - xc) + c2 * (xb - xa)) / d;
  const rc = len2(xa - cx, ya - cy);
  const dc = len2(cx, cy);
  if (rc > 1e6 || dc < 1e-6) return undefined;
  // Sense: the turn around the centre from the point closest to the origin (direction −c) towards the outermost hit.
  const sense = Math.sign(-cx * (yc - cy) + cy * (xc - cx)) || 1;
  const h: Helix = { cx, cy, rc, sense, slope: 0, z0: 0, general: true, dc };
  return fitSlope(hits, rows, skip, h) ? h : undefined;
}

/** Transverse arc length from the origin at which the helix reaches the layer: its radius (barrel) or its z (disk);
 * NaN for a disk on the other side of the origin. */
function arcLengthTo(h: Helix, l: Layer): number {
  if (l.barrel) return arcAt(h, l.position);
  if (h.slope >= 0 !== l.position > 0) return NaN;
  return (l.position - h.z0) / h.slope;
}

/** Point of the helix at transverse distance d from the origin, written into `out`; false when the track curls up
 * before reaching this radius. */
function pointAtDistance(h: Helix, d: number, out: { x: number; y: number }): boolean {
  if (h.general) {
    const cosA = turnCos(h, d);
    if (cosA > 1 || cosA < -1) return false;
    return pointAtTurn(h, cosA, h.sense * Math.sqrt(1 - cosA * cosA), out);
  }
  if (d > 2 * h.rc) return false;
  // At azimuth φC ± acos(d / 2rc), written with cos(acos u) = u and sin(acos u) = √(1 − u²): no trigonometry.
  const u = d / (2 * h.rc);
  const v = h.sense * Math.sqrt(1 - u * u);
  const cosC = h.cx / h.rc;
  const sinC = h.cy / h.rc;
  out.x = d * (cosC * u - sinC * v);
  out.y = d * (sinC * u + cosC * v);
  return true;
}

/** Inserts `row` into `track` (sorted by distance from the origin) where it belongs; returns its index. The helix
 * fit takes the last row as the outermost hit: a hit the walk takes on a layer inside it (a layer the seed skipped,
 * or a disk crossed before a barrel layer) appended at the end would bend the helix (score +0.003 on simulated
 * MU = 200 events, npm start's and the pipeline benchmark's; real sample unchanged). */
export function insertByDistance(hits: Hits, track: number[], row: number): number {
  const { x, y, z } = hits;
  const dr = x[row] * x[row] + y[row] * y[row] + z[row] * z[row];
  let j = track.length;
  track.push(row);
  for (; j > 0; j--) {
    const q = track[j - 1];
    if (x[q] * x[q] + y[q] * y[q] + z[q] * z[q] <= dr) break;
    track[j] = q;
  }
  track[j] = row;
  return j;
}

/** Lookahead cost of skipping a layer that has candidates, and of finding nothing on the next layer (a candidate
 * inside the window costs at most 2: (across/window)² + (along/window)²). */
const SKIP_COST = 1;
const NO_NEXT_COST = 2;

interface Prediction {
  px: number;
  py: number;
  pz: number;
  rPred: number;
  /** Across window half-width for this prediction (the layer's, grown with the distance from the last hit), mm. */
  across: number;
}

const CROSSES = 0;
const MISSES = 1;
const CURLED = 2;

/** General helix: the point turned by the angle α (cos α, sin α signed by the sense) around the centre from the
 * point closest to the origin. */
function pointAtTurn(h: Helix, cosA: number, sinA: number, out: { x: number; y: number }): boolean {
  const ex = -h.cx / h.dc;
  const ey = -h.cy / h.dc;
  out.x = h.cx + h.rc * (ex * cosA - ey * sinA);
  out.y = h.cy + h.rc * (ey * cosA + ex * sinA);
  return true;
}

/** Where the helix crosses the layer, written into `out`: CROSSES, MISSES (outside the layer), or CURLED when a
 * barrel layer lies beyond the helix's reach (no later layer can be reached either). Allocation-free: this runs
 * ~10⁶ times per event. */
function predict(h: Helix, l: Layer, out: Prediction, sFrom: number): number {
  let s: number;
  if (l.barrel) {
    if (!pointAtDistance(h, l.position, out2d)) return h.general && l.position < h.dc + h.rc ? MISSES : CURLED;
    s = arcAt(h, l.position);
    out.pz = h.z0 + h.slope * s;
  } else {
    s = (l.position - h.z0) / h.slope;
    if (!(s > 0) || s > Math.PI * h.rc) return MISSES;
    if (h.general) pointAtTurn(h, Math.cos(s / h.rc), h.sense * Math.sin(s / h.rc), out2d);
    else {
      const d = 2 * h.rc * Math.sin(s / (2 * h.rc));
      if (!pointAtDistance(h, d, out2d)) return MISSES;
    }
    out.pz = l.position;
  }
  out.px = out2d.x;
  out.py = out2d.y;
  out.rPred = len2(out.px, out.py);
  // Metres flown × 1/pT (GeV⁻¹).
  out.across = l.acrossMm + (l.acrossGrowth * Math.abs(s - sFrom) * MM_PER_GEV) / (1000 * h.rc);
  // Outside the layer's extent (beyond the window): the track misses this layer.
  const extentPred = l.barrel ? out.pz : out.rPred;
  if (extentPred < l.lo - l.alongMm || extentPred > l.hi + l.alongMm) return MISSES;
  return CROSSES;
}
const out2d = { x: 0, y: 0 };
const nextPred: Prediction = { px: 0, py: 0, pz: 0, rPred: 0, across: 0 };

/** Scratch for followHelix's layer order (grown on demand). */
let orderIdx = new Int32Array(64);
let orderS = new Float64Array(64);

/** Reused buffer of layer indices (grown on demand). */
let windowBuf = new Int32Array(1024);
/** The φ window as [from, to] intervals (phiIntervals). */
const intervals = new Float64Array(4);

/** Width of a layer's bins along it, mm: a window (≤ 12 mm along) reads one or two bins of a layer 1–2 m long. */
const LAYER_BIN_MM = 50;

/** Writes into windowBuf the indices k (into l.rows / l.phi) of the layer's hits with |Δφ| ≤ dPhi of phi in the bins
 * that overlap the along window around `along`; returns how many. Plain loops into a reused buffer, no callbacks:
 * this runs ~10⁶ times per event. */
function phiWindow(l: Layer, phi: number, dPhi: number, along: number): number {
  if (windowBuf.length < l.rows.length) windowBuf = new Int32Array(l.rows.length);
  const nBins = l.binStart.length - 1;
  const b0 = Math.max(0, Math.floor((along - l.alongMm - l.alongMin) / LAYER_BIN_MM));
  const b1 = Math.min(nBins - 1, Math.floor((along + l.alongMm - l.alongMin) / LAYER_BIN_MM));
  let n = 0;
  const parts = phiIntervals(phi, dPhi, intervals);
  for (let b = b0; b <= b1; b++) {
    const end = l.binStart[b + 1];
    for (let p = 0; p < parts; p++) {
      const to = intervals[2 * p + 1];
      for (let k = lowerBound(l.phi, l.binStart[b], end, intervals[2 * p]); k < end && l.phi[k] <= to; k++) windowBuf[n++] = k;
    }
  }
  return n;
}

/** Window cost of hit k of the layer for the prediction: (across/window)² + (along/window)², or Infinity outside. */
function windowCost(l: Layer, k: number, p: Prediction, phiPred: number): number {
  const along = Math.abs(l.along[k] - (l.barrel ? p.pz : p.rPred));
  if (along > l.alongMm) return Infinity;
  const across = Math.abs(wrapPhi(l.phi[k] - phiPred)) * l.r[k];
  if (across > p.across) return Infinity;
  return (across / p.across) ** 2 + (along / l.alongMm) ** 2;
}

/** followHelix's candidates on one layer (candidates() fills them; the walk is not re-entrant). */
const candRow = new Int32Array(16);
const candCost = new Float64Array(16);

/** Unclaimed hits of the layer inside the window around the prediction, cheapest first, at most `max` (≤ 16): written
 * into candRow / candCost (insertion into a short sorted list, no allocation); returns how many. */
function candidates(hits: Hits, l: Layer, p: Prediction, claimed: Uint8Array, max: number): number {
  const phiPred = Math.atan2(p.py, p.px);
  const n = phiWindow(l, phiPred, p.across / Math.max(p.rPred, 1), l.barrel ? p.pz : p.rPred);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const k = windowBuf[i];
    if (claimed[l.rows[k]]) continue;
    const cost = windowCost(l, k, p, phiPred);
    if (cost === Infinity || (count === max && cost >= candCost[count - 1])) continue;
    // Stable: a hit goes after those of equal cost already in the list (the order Array.sort kept).
    let j = count < max ? count++ : count - 1;
    while (j > 0 && candCost[j - 1] > cost) {
      candCost[j] = candCost[j - 1];
      candRow[j] = candRow[j - 1];
      j--;
    }
    candCost[j] = cost;
    candRow[j] = l.rows[k];
  }
  return count;
}

/** Cost of the cheapest unclaimed hit (other than `exclude`) in the window; Infinity when there is none. */
function cheapest(hits: Hits, l: Layer, p: Prediction, claimed: Uint8Array, exclude: number): number {
  const phiPred = Math.atan2(p.py, p.px);
  const n = phiWindow(l, phiPred, p.across / Math.max(p.rPred, 1), l.barrel ? p.pz : p.rPred);
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const k = windowBuf[i];
    const r = l.rows[k];
    if (claimed[r] || r === exclude) continue;
    const cost = windowCost(l, k, p, phiPred);
    if (cost < best) best = cost;
  }
  return best;
}

/** Cost of the best hit on the first layer from order[from] on that the helix crosses (NO_NEXT_COST when that
 * layer has none; 0 when the helix crosses no further layer, so the last layer is judged on its own); windows grow
 * from the track's outermost hit `outerRow`. */
function nextLayerCost(hits: Hits, layers: readonly Layer[], order: Int32Array, count: number, from: number, h: Helix, claimed: Uint8Array, exclude: number, outerRow: number): number {
  const sFrom = arcAt(h, len2(hits.x[outerRow], hits.y[outerRow]));
  for (let j = from; j < count; j++) {
    const l = layers[order[j]];
    const status = predict(h, l, nextPred, sFrom);
    if (status === CURLED) return 0;
    if (status === MISSES) continue;
    const c = cheapest(hits, l, nextPred, claimed, exclude);
    return c < Infinity ? c : NO_NEXT_COST;
  }
  return 0;
}

/** A layer's windows: half-widths (mm) and the across window's growth (see Layer; 0 when omitted). */
export type LayerWindows = Pick<Layer, 'acrossMm' | 'alongMm'> & Partial<Pick<Layer, 'acrossGrowth'>>;

/** Windows of a strip volume (12–14 short, 16–18 long strips). */
export function stripWindows(volume: number, config: ExtendConfig): LayerWindows {
  const disk = !BARREL_VOLUMES.has(volume);
  return volume >= 16
    ? { acrossMm: disk ? config.longDiskAcrossMm : config.longAcrossMm, alongMm: config.longAlongMm }
    : { acrossMm: disk ? config.shortDiskAcrossMm : config.shortAcrossMm, alongMm: config.shortAlongMm, acrossGrowth: config.shortAcrossGrowth };
}

/** Rows of the free hits of `volumes`, grouped by layer (key volume·256 + layer id). */
export function rowsByLayer(hits: Hits, free: (row: number) => boolean, volumes: ReadonlySet<number>): Map<number, number[]> {
  const byLayer = new Map<number, number[]>();
  for (let r = 0; r < hits.hitId.length; r++) {
    if (!volumes.has(hits.volumeId[r]) || !free(r)) continue;
    const key = hits.volumeId[r] * 256 + hits.layerId[r];
    const list = byLayer.get(key);
    if (list) list.push(r);
    else byLayer.set(key, [r]);
  }
  return byLayer;
}

/** Free hits grouped by (volume, layer), sorted by φ; `windows(volume)` gives each layer's window. */
export function buildLayers(hits: Hits, free: (row: number) => boolean, volumes: ReadonlySet<number>, windows: (volume: number) => LayerWindows): Layer[] {
  const byLayer = rowsByLayer(hits, free, volumes);
  const layers: Layer[] = [];
  for (const [key, rows] of byLayer) {
    const vol = key >> 8;
    const barrel = BARREL_VOLUMES.has(vol);
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      const rr = len2(hits.x[r], hits.y[r]);
      sum += barrel ? rr : hits.z[r];
      const extent = barrel ? hits.z[r] : rr;
      lo = Math.min(lo, extent);
      hi = Math.max(hi, extent);
    }
    const phis = rows.map((r) => Math.atan2(hits.y[r], hits.x[r]));
    const alongs = rows.map((r) => (barrel ? hits.z[r] : len2(hits.x[r], hits.y[r])));
    const nBins = Math.floor((hi - lo) / LAYER_BIN_MM) + 1;
    const bins = alongs.map((a) => Math.min(nBins - 1, Math.floor((a - lo) / LAYER_BIN_MM)));
    const order = rows.map((_, i) => i).sort((a, b) => bins[a] - bins[b] || phis[a] - phis[b]);
    const binStart = new Int32Array(nBins + 1);
    for (const b of bins) binStart[b + 1]++;
    for (let b = 0; b < nBins; b++) binStart[b + 1] += binStart[b];
    layers.push({
      barrel,
      position: sum / rows.length,
      lo,
      hi,
      acrossGrowth: 0,
      ...windows(vol),
      rows: Int32Array.from(order, (i) => rows[i]),
      phi: Float64Array.from(order, (i) => phis[i]),
      r: Float64Array.from(order, (i) => len2(hits.x[rows[i]], hits.y[rows[i]])),
      along: Float64Array.from(order, (i) => alongs[i]),
      binStart,
      alongMin: lo,
    });
  }
  return layers;
}

/** Follows the helix of `rows` (sorted by distance from the origin) through `layers` in the order it crosses
 * them, taking at most one unclaimed hit per layer (with one layer of lookahead, see SKIP_COST); the taken hits
 * are marked in `claimed` and returned in order. A seed that crosses `maxMisses` layers beyond its outermost hit
 * before it takes a hit is given up (returns what it took inside, usually nothing). */
export function followHelix(hits: Hits, rows: readonly number[], layers: readonly Layer[], claimed: Uint8Array, lookaheadCandidates: number, maxMisses = Infinity, general = false): number[] {
  const track = rows.slice();
  const added: number[] = [];
  // A wrong hit among the given rows is left out of every fit (the walk's own hits passed its windows).
  const skip = outlier(hits, track);
  let helix = fitHelix(hits, track, skip, general);
  if (!helix) return added;
  // Candidate layers in order of distance along the track: barrel by radius, disks by |z| on the track's side.
  // (Typed scratch arrays and an insertion sort: a seed follow runs ~10⁴ times per event.)
  const h0 = helix;
  if (orderIdx.length < layers.length) {
    orderIdx = new Int32Array(layers.length);
    orderS = new Float64Array(layers.length);
  }
  let count = 0;
  for (let k = 0; k < layers.length; k++) {
    const sk = arcLengthTo(h0, layers[k]);
    if (!(sk > 0) || !Number.isFinite(sk)) continue;
    let j = count++;
    while (j > 0 && orderS[j - 1] > sk) {
      orderS[j] = orderS[j - 1];
      orderIdx[j] = orderIdx[j - 1];
      j--;
    }
    orderS[j] = sk;
    orderIdx[j] = k;
  }
  const order = orderIdx;
  const orderDist = orderS;
  const pred: Prediction = { px: 0, py: 0, pz: 0, rPred: 0, across: 0 };
  // One layer of lookahead: a wrong hit taken at one layer bends the refitted helix away from the particle's
  // later hits, and the greedy walk then finds nothing more. Each candidate (and skipping the layer) is judged
  // by its own cost plus the best cost the helix it leads to finds on the next layer it crosses.
  const last = track[track.length - 1];
  const sOuter = arcAt(h0, len2(hits.x[last], hits.y[last]));
  let misses = 0;
  for (let i = 0; i < count; i++) {
    const l = layers[order[i]];
    const outer = track[track.length - 1];
    const status = predict(helix, l, pred, arcAt(helix, len2(hits.x[outer], hits.y[outer])));
    if (status === CURLED) break;
    if (status === MISSES) continue;
    if (added.length === 0 && orderDist[i] > sOuter && ++misses > maxMisses) break;
    const nCands = candidates(hits, l, pred, claimed, lookaheadCandidates);
    if (nCands === 0) continue;
    let best = -1;
    let bestTotal = SKIP_COST + nextLayerCost(hits, layers, order, count, i + 1, helix, claimed, -1, outer);
    for (let c = 0; c < nCands; c++) {
      const row = candRow[c];
      const cost = candCost[c];
      if (cost >= bestTotal) break; // sorted by cost: no later candidate can win
      const at = insertByDistance(hits, track, row);
      const h = fitHelix(hits, track, skip, general) ?? helix;
      const outerWith = track[track.length - 1];
      track.copyWithin(at, at + 1);
      track.pop();
      const total = cost + nextLayerCost(hits, layers, order, count, i + 1, h, claimed, row, outerWith);
      if (total < bestTotal) {
        bestTotal = total;
        best = row;
      }
    }
    if (best < 0) continue;
    claimed[best] = 1;
    added.push(best);
    insertByDistance(hits, track, best);
    helix = fitHelix(hits, track, skip, general) ?? helix;
  }
  return added;
}

/** A submission's tracks as dense groups: the group of every row and every group's size. */
export interface TrackGroups {
  groupOfRow: Int32Array;
  size: Int32Array;
}

export function trackGroups(trackId: BigInt64Array): TrackGroups {
  const { groupOfRow, groups } = groupIds64(trackId);
  const size = new Int32Array(groups);
  for (let r = 0; r < groupOfRow.length; r++) size[groupOfRow[r]]++;
  return { groupOfRow, size };
}

/** Rows of every track with at least minHits hits, one array per track (tracks in order of their first row, rows
 * ascending); no array for the ~10⁵ smaller ones. */
export function rowsOfTracks(t: TrackGroups, minHits: number): number[][] {
  const rowsOf: number[][] = [];
  const slot = new Int32Array(t.size.length).fill(-1);
  for (let r = 0; r < t.groupOfRow.length; r++) {
    const g = t.groupOfRow[r];
    if (t.size[g] < minHits) continue;
    if (slot[g] < 0) slot[g] = rowsOf.push([]) - 1;
    rowsOf[slot[g]].push(r);
  }
  return rowsOf;
}

/** Returns new track ids: tracks with ≥ minHits hits take strip hits that are single-hit tracks. */
export function extendIntoStrips(hits: Hits, trackId: BigInt64Array, config: ExtendConfig): BigInt64Array {
  const n = hits.hitId.length;
  const out = trackId.slice();
  if (!config.enabled) return out;
  const t = trackGroups(trackId);
  const dist3 = distancesFromOrigin(hits);
  // Strip layers: free hits (single-hit tracks).
  const layers = buildLayers(hits, (r) => t.size[t.groupOfRow[r]] === 1, STRIP_VOLUMES, (vol) => stripWindows(vol, config));
  const claimed = new Uint8Array(n);
  // Longest tracks first: they have the best helices and the best claim on a contested hit.
  const tracks = rowsOfTracks(t, config.minHits).sort((a, b) => b.length - a.length);
  for (const rows of tracks) {
    const id = trackId[rows[0]];
    rows.sort((a, b) => dist3[a] - dist3[b]);
    for (const r of followHelix(hits, rows, layers, claimed, config.lookaheadCandidates)) out[r] = id;
  }
  return out;
}

/** Returns new track ids: tracks with ≥ minHits hits take, on each pixel layer their helix crosses before their
 * innermost hit, the closest single-hit track inside the window (pixel hits a track's first edges or its seed
 * missed: the walks only go outwards), and the same on pixel layers between their pixel hits that they hold no hit
 * on (a graph track's missing edge; on simulated MU = 200 events +0.002 in score). */
export function extendInwards(hits: Hits, trackId: BigInt64Array, minHits: number, window: { acrossMm: number; alongMm: number }): BigInt64Array {
  const n = hits.hitId.length;
  const out = trackId.slice();
  const t = trackGroups(trackId);
  const layers = buildLayers(hits, (r) => t.size[t.groupOfRow[r]] === 1, PIXEL_VOLUMES, () => window);
  if (layers.length === 0) return out;
  const dist3 = distancesFromOrigin(hits);
  const claimed = new Uint8Array(n);
  // Longest tracks first, as in extendIntoStrips.
  const rowsOf = rowsOfTracks(t, minHits).sort((a, b) => b.length - a.length);
  const pred: Prediction = { px: 0, py: 0, pz: 0, rPred: 0, across: 0 };
  for (const rows of rowsOf) {
    rows.sort((a, b) => dist3[a] - dist3[b]);
    const helix = fitHelix(hits, rows, outlier(hits, rows));
    if (!helix) continue;
    const first = rows[0];
    // Arc lengths of the innermost hit and of the outermost pixel hit; a layer counts as inside when the helix
    // reaches it 1 mm or more before.
    const sFirst = arcTo(len2(hits.x[first], hits.y[first]), helix.rc);
    let sLastPixel = sFirst;
    for (const r of rows) if (PIXEL_VOLUMES.has(hits.volumeId[r])) sLastPixel = Math.max(sLastPixel, arcTo(len2(hits.x[r], hits.y[r]), helix.rc));
    for (const l of layers) {
      const sk = arcLengthTo(helix, l);
      if (!(sk > 0) || !(sk < sLastPixel - 1)) continue;
      // Between the track's pixel hits: only a layer the track holds no hit on (a hole; the overlap step handles
      // second hits).
      if (!(sk < sFirst - 1) && holdsLayer(hits, rows, l.rows[0])) continue;
      if (predict(helix, l, pred, sFirst) !== CROSSES) continue;
      if (candidates(hits, l, pred, claimed, 1) === 0) continue;
      claimed[candRow[0]] = 1;
      out[candRow[0]] = trackId[first];
    }
  }
  return out;
}

/** Whether one of `rows` lies on the layer (volume and layer id) of hit `row`. */
function holdsLayer(hits: Hits, rows: readonly number[], row: number): boolean {
  for (const r of rows) if (hits.volumeId[r] === hits.volumeId[row] && hits.layerId[r] === hits.layerId[row]) return true;
  return false;
}

/** Distance of every hit from the origin (3D), for ordering a track's hits along it. */
export function distancesFromOrigin(hits: Hits): Float64Array {
  const d = new Float64Array(hits.hitId.length);
  for (let r = 0; r < d.length; r++) d[r] = Math.sqrt(hits.x[r] * hits.x[r] + hits.y[r] * hits.y[r] + hits.z[r] * hits.z[r]);
  return d;
}
