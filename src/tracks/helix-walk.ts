// The helix walk: a track's helix is followed outwards through the layers in the order it crosses them, taking at
// most one unclaimed hit per layer inside a window around the predicted crossing (with one layer of lookahead), and
// refitted through each hit taken. The strip extension (src/tracks/extend.ts) and the seeded tracks
// (src/tracks/seeds.ts) both walk with it. Allocation-free: ~10⁵ walks and ~10⁶ predictions per event.
import { MM_PER_GEV, wrapPhi } from '../geometry/helix-math.ts';
import { arcAt, arcTo, fitHelix, Helix, insertByDistance, outlier, turnCos } from './helix-fit.ts';
import type { HitIndex, LayerView } from './hit-index.ts';
import { windowQuery } from './hit-index.ts';

/** Transverse arc length from the origin at which the helix reaches the layer: its radius (barrel) or its z (disk);
 * NaN for a disk on the other side of the origin. */
export function arcLengthTo(h: Helix, l: LayerView): number {
  if (l.barrel) return arcAt(h, l.position);
  if (h.slope >= 0 !== l.position > 0) return NaN;
  return (l.position - h.z0) / h.slope;
}

const out2d = { x: 0, y: 0 };

/** Point of the helix at transverse distance d from the origin, written into out2d; false when the track curls up
 * before reaching this radius. */
function pointAtDistance(h: Helix, d: number): boolean {
  if (h.general) {
    const cosA = turnCos(h, d);
    if (cosA > 1 || cosA < -1) return false;
    pointAtTurn(h, cosA, h.sense * Math.sqrt(1 - cosA * cosA));
    return true;
  }
  if (d > 2 * h.rc) return false;
  // At azimuth φC ± acos(d / 2rc), written with cos(acos u) = u and sin(acos u) = √(1 − u²): no trigonometry.
  const u = d / (2 * h.rc);
  const v = h.sense * Math.sqrt(1 - u * u);
  const cosC = h.cx / h.rc;
  const sinC = h.cy / h.rc;
  out2d.x = d * (cosC * u - sinC * v);
  out2d.y = d * (sinC * u + cosC * v);
  return true;
}

/** General helix: the point turned by the angle α (cos α, sin α signed by the sense) around the centre from the
 * point closest to the origin, written into out2d. */
function pointAtTurn(h: Helix, cosA: number, sinA: number): void {
  const ex = -h.cx / h.dc;
  const ey = -h.cy / h.dc;
  out2d.x = h.cx + h.rc * (ex * cosA - ey * sinA);
  out2d.y = h.cy + h.rc * (ey * cosA + ex * sinA);
}

/** Lookahead cost of skipping a layer that has candidates, and of finding nothing on the next layer (a candidate
 * inside the window costs at most 2: (across/window)² + (along/window)²). */
const SKIP_COST = 1;
const NO_NEXT_COST = 2;

class Prediction {
  px = 0;
  py = 0;
  pz = 0;
  rPred = 0;
  /** Across window half-width for this prediction (the layer's, grown with the distance from the last hit), mm. */
  across = 0;
}

const CROSSES = 0;
const MISSES = 1;
const CURLED = 2;

/** Where the helix crosses the layer, written into `out`: CROSSES, MISSES (outside the layer), or CURLED when a
 * barrel layer lies beyond the helix's reach (no later layer can be reached either). */
function predict(h: Helix, l: LayerView, out: Prediction, sFrom: number): number {
  let s: number;
  if (l.barrel) {
    if (!pointAtDistance(h, l.position)) return h.general && l.position < h.dc + h.rc ? MISSES : CURLED;
    s = arcAt(h, l.position);
    out.pz = h.z0 + h.slope * s;
  } else {
    s = (l.position - h.z0) / h.slope;
    if (!(s > 0) || s > Math.PI * h.rc) return MISSES;
    if (h.general) pointAtTurn(h, Math.cos(s / h.rc), h.sense * Math.sin(s / h.rc));
    else {
      const d = 2 * h.rc * Math.sin(s / (2 * h.rc));
      if (!pointAtDistance(h, d)) return MISSES;
    }
    out.pz = l.position;
  }
  out.px = out2d.x;
  out.py = out2d.y;
  out.rPred = Math.sqrt(out.px * out.px + out.py * out.py);
  // Metres flown × 1/pT (GeV⁻¹).
  out.across = l.acrossMm + (l.acrossGrowth * Math.abs(s - sFrom) * MM_PER_GEV) / (1000 * h.rc);
  // Outside the layer's extent (beyond the window): the track misses this layer.
  const extentPred = l.barrel ? out.pz : out.rPred;
  if (extentPred < l.lo - l.alongMm || extentPred > l.hi + l.alongMm) return MISSES;
  return CROSSES;
}

const pred = new Prediction();
const nextPred = new Prediction();

/** Reused buffer of window indices (grown on demand). */
let windowBuf = new Int32Array(1024);

/** The hits of the bins around the prediction (along ± the layer's window) within its across window in φ. */
function phiWindow(l: LayerView, p: Prediction, phiPred: number): number {
  if (windowBuf.length < l.rows.length) windowBuf = new Int32Array(l.rows.length);
  const along = l.barrel ? p.pz : p.rPred;
  return windowQuery(l, phiPred, p.across / Math.max(p.rPred, 1), along - l.alongMm, along + l.alongMm, false, windowBuf);
}

/** Window cost of hit k of the layer for the prediction: (across/window)² + (along/window)², or Infinity outside. */
function windowCost(l: LayerView, k: number, p: Prediction, phiPred: number): number {
  const along = Math.abs(l.along[k] - (l.barrel ? p.pz : p.rPred));
  if (along > l.alongMm) return Infinity;
  const across = Math.abs(wrapPhi(l.phi[k] - phiPred)) * l.r[k];
  if (across > p.across) return Infinity;
  return (across / p.across) ** 2 + (along / l.alongMm) ** 2;
}

/** The walk's candidates on one layer (candidates() fills them; the walk is not re-entrant). */
const candRow = new Int32Array(16);
const candCost = new Float64Array(16);

/** Unclaimed hits of the layer inside the window around the prediction, cheapest first, at most `max` (≤ 16): written
 * into candRow / candCost (insertion into a short sorted list, no allocation); returns how many. */
function candidates(l: LayerView, p: Prediction, claimed: Uint8Array, max: number): number {
  const phiPred = Math.atan2(p.py, p.px);
  const n = phiWindow(l, p, phiPred);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const k = windowBuf[i];
    if (claimed[l.rows[k]]) continue;
    const cost = windowCost(l, k, p, phiPred);
    if (cost === Infinity || (count === max && cost >= candCost[count - 1])) continue;
    // Stable: a hit goes after those of equal cost already in the list.
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
function cheapest(l: LayerView, p: Prediction, claimed: Uint8Array, exclude: number): number {
  const phiPred = Math.atan2(p.py, p.px);
  const n = phiWindow(l, p, phiPred);
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

/** Layers in the order the walk's first helix crosses them (indices into the layer list; see orderLayers). */
let orderIdx = new Int32Array(64);
let orderS = new Float64Array(64);

/** Cost of the best hit on the first layer from order[from] on that the helix crosses (NO_NEXT_COST when that
 * layer has none; 0 when the helix crosses no further layer, so the last layer is judged on its own); windows grow
 * from the arc length sFrom of the track's outermost hit. */
function nextLayerCost(layers: readonly LayerView[], count: number, from: number, h: Helix, claimed: Uint8Array, exclude: number, sFrom: number): number {
  for (let j = from; j < count; j++) {
    const l = layers[orderIdx[j]];
    const status = predict(h, l, nextPred, sFrom);
    if (status === CURLED) return 0;
    if (status === MISSES) continue;
    const c = cheapest(l, nextPred, claimed, exclude);
    return c < Infinity ? c : NO_NEXT_COST;
  }
  return 0;
}

/** Candidate layers in order of arc length along the helix (barrel by radius, disks by |z| on the helix's side) into
 * orderIdx / orderS; returns how many. Insertion sort on typed scratch arrays: ties keep the layer list's order. */
function orderLayers(h: Helix, layers: readonly LayerView[]): number {
  if (orderIdx.length < layers.length) {
    orderIdx = new Int32Array(layers.length);
    orderS = new Float64Array(layers.length);
  }
  let count = 0;
  for (let k = 0; k < layers.length; k++) {
    const sk = arcLengthTo(h, layers[k]);
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
  return count;
}

/** The walk's helices: the current one, a candidate's, and the last fit (swapped, never allocated). */
let helix = new Helix();
let trial = new Helix();

/** Rows the last followHelix took, in the order taken: walkAdded[0..count). */
export let walkAdded = new Int32Array(64);

/** Follows the helix of `track` (rows sorted by distance from the origin) through `layers` in the order it crosses
 * them, taking at most one unclaimed hit per layer (with one layer of lookahead, see SKIP_COST). The taken hits are
 * marked in `claimed`, inserted into `track` by distance and listed in walkAdded; returns how many. A seed that
 * crosses `maxMisses` layers beyond its outermost hit before it takes a hit is given up. */
export function followHelix(idx: HitIndex, track: number[], layers: readonly LayerView[], claimed: Uint8Array, lookaheadCandidates: number, maxMisses = Infinity, general = false): number {
  let added = 0;
  // A wrong hit among the given rows is left out of every fit (the walk's own hits passed its windows).
  const skip = outlier(idx, track);
  if (!fitHelix(idx, track, skip, general, helix)) return 0;
  if (walkAdded.length < track.length + layers.length) {
    const grown = new Int32Array(2 * (track.length + layers.length));
    grown.set(walkAdded);
    walkAdded = grown;
  }
  const count = orderLayers(helix, layers);
  // One layer of lookahead: a wrong hit taken at one layer bends the refitted helix away from the particle's
  // later hits, and the greedy walk then finds nothing more. Each candidate (and skipping the layer) is judged
  // by its own cost plus the best cost the helix it leads to finds on the next layer it crosses.
  const sOuter = arcAt(helix, idx.rT[track[track.length - 1]]);
  let misses = 0;
  for (let i = 0; i < count; i++) {
    const l = layers[orderIdx[i]];
    const outer = track[track.length - 1];
    const sFrom = arcAt(helix, idx.rT[outer]);
    const status = predict(helix, l, pred, sFrom);
    if (status === CURLED) break;
    if (status === MISSES) continue;
    if (added === 0 && orderS[i] > sOuter && ++misses > maxMisses) break;
    const nCands = candidates(l, pred, claimed, lookaheadCandidates);
    if (nCands === 0) continue;
    let best = -1;
    let bestTotal = SKIP_COST + nextLayerCost(layers, count, i + 1, helix, claimed, -1, sFrom);
    for (let c = 0; c < nCands; c++) {
      const row = candRow[c];
      const cost = candCost[c];
      if (cost >= bestTotal) break; // sorted by cost: no later candidate can win
      const at = insertByDistance(idx, track, row);
      const h = fitHelix(idx, track, skip, general, trial) ? trial : helix;
      const sWith = arcAt(h, idx.rT[track[track.length - 1]]);
      track.copyWithin(at, at + 1);
      track.pop();
      const total = cost + nextLayerCost(layers, count, i + 1, h, claimed, row, sWith);
      if (total < bestTotal) {
        bestTotal = total;
        best = row;
      }
    }
    if (best < 0) continue;
    claimed[best] = 1;
    walkAdded[added++] = best;
    insertByDistance(idx, track, best);
    if (fitHelix(idx, track, skip, general, trial)) [helix, trial] = [trial, helix];
  }
  return added;
}

/** The cheapest unclaimed hit of the layer inside the window around where the helix crosses it (windows grown from
 * arc length sFrom), or −1 when the helix does not cross it or the window is empty. */
export function closestHit(h: Helix, l: LayerView, sFrom: number, claimed: Uint8Array): number {
  if (predict(h, l, pred, sFrom) !== CROSSES) return -1;
  return candidates(l, pred, claimed, 1) === 0 ? -1 : candRow[0];
}
