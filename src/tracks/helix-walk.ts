// The helix walk: a track's helix is followed outwards through the layers in the order it crosses them, taking at
// most one unclaimed hit per layer inside a window around the predicted crossing (with one layer of lookahead), and
// refitted through each hit taken. The strip extension (src/tracks/extend.ts) and the seeded tracks
// (src/tracks/seeds.ts) both walk with it. Allocation-free: ~10⁵ walks and ~10⁶ predictions per event.
import { MM_PER_GEV, wrapPhi } from '../geometry/helix-math.ts';
import { arcAt, fitHelix, Helix, insertByDistance, outlier, turnCos } from './helix-fit.ts';
import type { HitIndex, LayerView } from './hit-index.ts';
import { Window, windowQuery } from './hit-index.ts';
import { inOrder, ord, startOrder, type WalkLayers } from './walk-order.ts';

export { walkLayers, type WalkLayers } from './walk-order.ts';

/** Transverse arc length from the origin at which the helix reaches the layer: its radius (barrel) or its z (disk);
 * NaN for a disk on the other side of the origin. */
export function arcLengthTo(h: Helix, l: LayerView): number {
  if (l.barrel) return arcAt(h, l.position);
  if (h.slope >= 0 !== l.position > 0) return NaN;
  return (l.position - h.z0) / h.slope;
}

/** A point of the helix (x, y), and the inputs of pointAtDistance (d) and pointAtTurn (cosA, sinA): passed in fields,
 * not as arguments (see Prediction). */
class Point {
  x = NaN;
  y = NaN;
  d = NaN;
  cosA = NaN;
  sinA = NaN;
}
const out2d = new Point();

/** Point of the helix at transverse distance out2d.d from the origin, written into out2d; false when the track curls
 * up before reaching this radius. */
function pointAtDistance(h: Helix): boolean {
  const d = out2d.d;
  if (h.general) {
    const cosA = turnCos(h, d);
    if (cosA > 1 || cosA < -1) return false;
    out2d.cosA = cosA;
    out2d.sinA = h.sense * Math.sqrt(1 - cosA * cosA);
    pointAtTurn(h);
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

/** General helix: the point turned by the angle α (out2d.cosA, out2d.sinA signed by the sense) around the centre from
 * the point closest to the origin, written into out2d. */
function pointAtTurn(h: Helix): void {
  const { cosA, sinA } = out2d;
  const ex = -h.cx / h.dc;
  const ey = -h.cy / h.dc;
  out2d.x = h.cx + h.rc * (ex * cosA - ey * sinA);
  out2d.y = h.cy + h.rc * (ey * cosA + ex * sinA);
}

/** Lookahead cost of skipping a layer that has candidates, and of finding nothing on the next layer (a candidate
 * inside the window costs at most 2: (across/window)² + (along/window)²). */
const SKIP_COST = 1;
const NO_NEXT_COST = 2;

/** Where a helix crosses a layer, and the window there. Fields start as NaN so V8 stores them as unboxed doubles; the
 * walk passes doubles to its helpers through such objects rather than as arguments (each boxed double argument of a
 * call that is not inlined is an allocation, and the walk makes ~10⁷ such calls per event). */
class Prediction {
  px = NaN;
  py = NaN;
  pz = NaN;
  rPred = NaN;
  /** Across window half-width for this prediction (the layer's, grown with the distance from the last hit), mm. */
  across = NaN;
  /** Azimuth of the predicted point. */
  phi = NaN;
  /** Arc length of the track's outermost hit on the helix: the across window grows from there. */
  sFrom = NaN;
}

const CROSSES = 0;
const MISSES = 1;
const CURLED = 2;

/** Where the helix crosses the layer, written into `out` (windows grown from out.sFrom): CROSSES, MISSES (outside the
 * layer), or CURLED when a barrel layer lies beyond the helix's reach (no later layer can be reached either). */
function predict(h: Helix, l: LayerView, out: Prediction): number {
  let s: number;
  if (l.barrel) {
    if (!h.general && l.position <= 2 * h.rc && barrelMissed(h, l)) return MISSES;
    out2d.d = l.position;
    if (!pointAtDistance(h)) return h.general && l.position < h.dc + h.rc ? MISSES : CURLED;
    // arcAt(h, l.position), written out (see Prediction).
    const d = l.position;
    if (!h.general) s = 2 * h.rc * Math.asin(Math.min(1, d / (2 * h.rc)));
    else {
      const cosA = turnCos(h, d);
      s = cosA > 1 || cosA < -1 ? NaN : h.rc * Math.acos(cosA);
    }
    out.pz = h.z0 + h.slope * s;
  } else {
    s = (l.position - h.z0) / h.slope;
    if (!(s > 0) || s > Math.PI * h.rc) return MISSES;
    // Already past the disk's outer edge: the chord 2rc·sin(s/2rc) is at least s·(1 − (s/2rc)²/6) (no sine needed
    // to see it; the margins cover rounding, so the answer is the one the exact point gives).
    if (!h.general) {
      const u = s / (2 * h.rc);
      if (s * (1 - (u * u) / 6) > (l.hi + l.alongMm) * (1 + 1e-12) + 1e-9) return MISSES;
    }
    if (h.general) {
      out2d.cosA = Math.cos(s / h.rc);
      out2d.sinA = h.sense * Math.sin(s / h.rc);
      pointAtTurn(h);
    } else {
      out2d.d = 2 * h.rc * Math.sin(s / (2 * h.rc));
      if (!pointAtDistance(h)) return MISSES;
    }
    out.pz = l.position;
  }
  out.px = out2d.x;
  out.py = out2d.y;
  out.rPred = Math.sqrt(out.px * out.px + out.py * out.py);
  // Metres flown × 1/pT (GeV⁻¹).
  out.across = l.acrossMm + (l.acrossGrowth * Math.abs(s - out.sFrom) * MM_PER_GEV) / (1000 * h.rc);
  // Outside the layer's extent (beyond the window): the track misses this layer.
  const extentPred = l.barrel ? out.pz : out.rPred;
  if (extentPred < l.lo - l.alongMm || extentPred > l.hi + l.alongMm) return MISSES;
  return CROSSES;
}

/** A helix through the origin reaches a barrel layer at radius d ≤ 2rc after an arc s ≥ d, so its z there lies beyond
 * z0 + slope·d: past the layer's far end (beyond the window) it misses the layer, as predict's exact point would say
 * (margins cover rounding) — ~2·10⁶ predictions per event, most on layers the helix misses, decided without asin. */
function barrelMissed(h: Helix, l: LayerView): boolean {
  const zNear = h.z0 + h.slope * l.position;
  const margin = (Math.abs(h.slope) * l.position + Math.abs(h.z0)) * 1e-12 + 1e-9;
  return h.slope >= 0 ? zNear - margin > l.hi + l.alongMm : zNear + margin < l.lo - l.alongMm;
}

const pred = new Prediction();
const nextPred = new Prediction();

/** Reused buffer of window indices (grown on demand), and the window query. */
let windowBuf = new Int32Array(1024);
const win = new Window();

/** The hits of the bins around the prediction (along ± the layer's window) within its across window in φ around p.phi. */
function phiWindow(l: LayerView, p: Prediction): number {
  if (windowBuf.length < l.rows.length) windowBuf = new Int32Array(l.rows.length);
  const along = l.barrel ? p.pz : p.rPred;
  win.phi = p.phi;
  win.dPhi = p.across / Math.max(p.rPred, 1);
  win.alongLo = along - l.alongMm;
  win.alongHi = along + l.alongMm;
  return windowQuery(l, win, false, windowBuf);
}

/** Window cost of hit k of the layer for the prediction: (across/window)² + (along/window)², or Infinity outside. */
function windowCost(l: LayerView, k: number, p: Prediction): number {
  const along = Math.abs(l.along[k] - (l.barrel ? p.pz : p.rPred));
  if (along > l.alongMm) return Infinity;
  const across = Math.abs(wrapPhi(l.phi[k] - p.phi)) * l.r[k];
  if (across > p.across) return Infinity;
  return (across / p.across) ** 2 + (along / l.alongMm) ** 2;
}

/** Candidate lists, LIST_MAX entries per slot: slot 0 the walk's layer (candRow / candCost, read by the walk), slot 1
 * the lookahead of skipping it, slot 2 + c the lookahead of taking its candidate c (the walk is not re-entrant). */
const LIST_MAX = 16;
const listRow = new Int32Array((2 + LIST_MAX) * LIST_MAX);
const listCost = new Float64Array((2 + LIST_MAX) * LIST_MAX);
const candRow = listRow.subarray(0, LIST_MAX);
const candCost = listCost.subarray(0, LIST_MAX);

/** Unclaimed hits of the layer other than `exclude` inside the window around the prediction, cheapest first, at most
 * `max` (≤ LIST_MAX): written into list slot `slot` (insertion into a short sorted list, no allocation); returns how
 * many. */
function candidates(l: LayerView, p: Prediction, claimed: Uint8Array, max: number, exclude: number, slot: number): number {
  p.phi = Math.atan2(p.py, p.px);
  const n = phiWindow(l, p);
  const base = slot * LIST_MAX;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const k = windowBuf[i];
    // Cheapest rejection first: the window (the view's own arrays, read in order) before the claim (a scattered row).
    const cost = windowCost(l, k, p);
    if (cost === Infinity || (count === max && cost >= listCost[base + count - 1])) continue;
    const r = l.rows[k];
    if (claimed[r] || r === exclude) continue;
    // Stable: a hit goes after those of equal cost already in the list.
    let j = count < max ? count++ : count - 1;
    while (j > 0 && listCost[base + j - 1] > cost) {
      listCost[base + j] = listCost[base + j - 1];
      listRow[base + j] = listRow[base + j - 1];
      j--;
    }
    listCost[base + j] = cost;
    listRow[base + j] = r;
  }
  return count;
}

/** Lookahead results (doubles kept in fields, see Prediction): the cost of the next layer, where it is, and its
 * candidates. */
class Lookahead {
  next = NaN;
  /** Where nextLayerCost stopped: the order index of the layer it judged (or that curled the helix), or the order's
   * length when no layer was left; the layers between its start and this one the helix misses. */
  at = 0;
  /** Candidates listed on layer `at` (−1: none judged there): when the walk goes on with this helix, they are the
   * candidates it finds there (the same prediction and window, and only the hit it took claimed since, which the
   * lookahead excluded). */
  count = -1;
}
const look = new Lookahead();

/** Cost of the best hit on the first layer from order[from] on that the helix crosses, into look.next (NO_NEXT_COST
 * when that layer has none; 0 when the helix crosses no further layer, so the last layer is judged on its own); windows
 * grow from arc length sFrom (the track's outermost hit). */
function nextLayerCost(
  layers: readonly LayerView[],
  from: number,
  h: Helix,
  claimed: Uint8Array,
  exclude: number,
  max: number,
  slot: number,
): void {
  let j = from;
  for (; inOrder(j); j++) {
    const l = layers[ord.idx[j]];
    const status = predict(h, l, nextPred);
    if (status === CURLED) break;
    if (status === MISSES) continue;
    // The whole candidate list, not only the cheapest: the walk reuses the chosen option's (Lookahead.count).
    const count = candidates(l, nextPred, claimed, max, exclude, slot);
    look.next = count > 0 ? listCost[slot * LIST_MAX] : NO_NEXT_COST;
    look.at = j;
    look.count = count;
    return;
  }
  look.next = 0;
  look.at = j;
  look.count = -1;
}

/** The walk's helices: the current one, a candidate's, and the best candidate's (swapped, never allocated). */
let helix = new Helix();
let trial = new Helix();
let bestHelix = new Helix();

/** Rows the last followHelix took, in the order taken: walkAdded[0..count). */
export let walkAdded = new Int32Array(64);

/** What the walk does on a layer (chooseOnLayer): the row it takes (−1: skips the layer) and whether bestHelix is the
 * refit through it; the lookahead of that option stopped at order index `at`, having listed `count` candidates there
 * in list slot `slot` (−1: none listed). */
class Choice {
  row = -1;
  fitted = false;
  at = 0;
  slot = 0;
  count = -1;
  /** The option's total cost (own cost + lookahead), and the skip option's (NaN until judged). */
  total = NaN;
  skipTotal = NaN;
  skipAt = 0;
  skipCount = -1;
}
const choice = new Choice();

/** Judges skipping the walk's layer i: SKIP_COST plus the lookahead of the current helix, into choice.skip*. */
function judgeSkip(layers: readonly LayerView[], i: number, claimed: Uint8Array, lookaheadCandidates: number): void {
  nextPred.sFrom = pred.sFrom;
  nextLayerCost(layers, i + 1, helix, claimed, -1, lookaheadCandidates, 1);
  choice.skipTotal = SKIP_COST + look.next;
  choice.skipAt = look.at;
  choice.skipCount = look.count;
}

/** Chooses among the nCands candidates of the walk's layer i (candRow / candCost, cheapest first) and skipping it, by
 * own cost plus lookahead (see followHelix), into `choice`. Skipping costs SKIP_COST plus its lookahead (≥ 0) and wins
 * ties (it comes first): it is judged only once a candidate's cost reaches SKIP_COST or no candidate's total stays
 * below it — below, skipping can neither win nor stop a candidate from being judged, so the choice is the one judging
 * it first gives. */
function chooseOnLayer(
  idx: HitIndex,
  track: number[],
  layers: readonly LayerView[],
  i: number,
  claimed: Uint8Array,
  nCands: number,
  skip: number,
  general: boolean,
  lookaheadCandidates: number,
): void {
  choice.row = -1;
  choice.fitted = false;
  choice.total = Infinity;
  choice.count = -1;
  choice.skipTotal = NaN;
  for (let c = 0; c < nCands; c++) {
    const row = candRow[c];
    const cost = candCost[c];
    if (cost >= SKIP_COST && Number.isNaN(choice.skipTotal)) judgeSkip(layers, i, claimed, lookaheadCandidates);
    if (cost >= choice.total || cost >= choice.skipTotal) break; // sorted by cost: no later candidate can win
    const at = insertByDistance(idx, track, row);
    const fitted = fitHelix(idx, track, skip, general, trial);
    const h = fitted ? trial : helix;
    nextPred.sFrom = arcAt(h, idx.rT[track[track.length - 1]]);
    track.copyWithin(at, at + 1);
    track.pop();
    nextLayerCost(layers, i + 1, h, claimed, row, lookaheadCandidates, 2 + c);
    const total = cost + look.next;
    if (total < choice.total) {
      choice.total = total;
      choice.at = look.at;
      choice.slot = 2 + c;
      choice.count = look.count;
      choice.row = row;
      // Keep this candidate's helix: it is the refit through the track with the row.
      choice.fitted = fitted;
      if (fitted) {
        const t = bestHelix;
        bestHelix = trial;
        trial = t;
      }
    }
  }
  if (!(choice.total < SKIP_COST) && Number.isNaN(choice.skipTotal)) judgeSkip(layers, i, claimed, lookaheadCandidates);
  if (choice.skipTotal <= choice.total) {
    choice.row = -1;
    choice.fitted = false;
    choice.at = choice.skipAt;
    choice.slot = 1;
    choice.count = choice.skipCount;
  }
}

/** Follows the helix of `track` (rows sorted by distance from the origin) through `layers` in the order it crosses
 * them, taking at most one unclaimed hit per layer (with one layer of lookahead, see SKIP_COST). The taken hits are
 * marked in `claimed`, inserted into `track` by distance and listed in walkAdded; returns how many. A seed that
 * crosses `maxMisses` layers beyond its outermost hit before it takes a hit is given up; after a hit is taken, the
 * walk stops once it crosses more than `maxGap` layers in a row without taking one. */
export function followHelix(
  idx: HitIndex,
  track: number[],
  walk: WalkLayers,
  claimed: Uint8Array,
  lookaheadCandidates: number,
  maxMisses = Infinity,
  general = false,
  maxGap = Infinity,
): number {
  let added = 0;
  const layers = walk.list;
  // A wrong hit among the given rows is left out of every fit (the walk's own hits passed its windows).
  const skip = outlier(idx, track);
  if (!fitHelix(idx, track, skip, general, helix)) return 0;
  if (walkAdded.length < track.length + layers.length) {
    const grown = new Int32Array(2 * (track.length + layers.length));
    grown.set(walkAdded);
    walkAdded = grown;
  }
  startOrder(helix, walk);
  // One layer of lookahead: a wrong hit taken at one layer bends the refitted helix away from the particle's
  // later hits, and the greedy walk then finds nothing more. Each candidate (and skipping the layer) is judged
  // by its own cost plus the best cost the helix it leads to finds on the next layer it crosses.
  const sOuter = arcAt(helix, idx.rT[track[track.length - 1]]);
  // Arc length of the outermost hit on the current helix: the windows grow from there.
  pred.sFrom = sOuter;
  let misses = 0;
  let gap = 0;
  // Order indices below this the current helix is known to miss: the lookahead that chose it predicted them already
  // (a layer's crossing depends on the helix alone, not on the window's growth). That lookahead judged layer
  // missesUntil with this helix: its list (slot listedSlot, listedCount candidates; −1: none) is the walk's there.
  let missesUntil = 0;
  let listedSlot = 0;
  let listedCount = -1;
  for (let i = 0; inOrder(i); i++) {
    if (i < missesUntil) continue;
    const l = layers[ord.idx[i]];
    const listed = i === missesUntil && listedCount >= 0;
    if (!listed) {
      const status = predict(helix, l, pred);
      if (status === CURLED) break;
      if (status === MISSES) continue;
    }
    if (added === 0 && ord.s[i] > sOuter && ++misses > maxMisses) break;
    if (added > 0 && ++gap > maxGap) break;
    let nCands: number;
    if (listed) {
      nCands = listedCount;
      listRow.copyWithin(0, listedSlot * LIST_MAX, listedSlot * LIST_MAX + nCands);
      listCost.copyWithin(0, listedSlot * LIST_MAX, listedSlot * LIST_MAX + nCands);
    } else nCands = candidates(l, pred, claimed, lookaheadCandidates, -1, 0);
    listedCount = -1;
    if (nCands === 0) continue;
    chooseOnLayer(idx, track, layers, i, claimed, nCands, skip, general, lookaheadCandidates);
    // The helix the walk goes on with (this one when the layer is skipped, else the chosen candidate's) misses the
    // layers its lookahead passed over.
    missesUntil = choice.at;
    listedSlot = choice.slot;
    listedCount = choice.count;
    const best = choice.row;
    if (best < 0) continue;
    claimed[best] = 1;
    walkAdded[added++] = best;
    gap = 0;
    insertByDistance(idx, track, best);
    if (choice.fitted) {
      const t = helix;
      helix = bestHelix;
      bestHelix = t;
    }
    pred.sFrom = arcAt(helix, idx.rT[track[track.length - 1]]);
  }
  return added;
}

/** The cheapest unclaimed hit of the layer inside the window around where the helix crosses it (windows grown from
 * arc length sFrom), or −1 when the helix does not cross it or the window is empty. */
export function closestHit(h: Helix, l: LayerView, sFrom: number, claimed: Uint8Array): number {
  pred.sFrom = sFrom;
  if (predict(h, l, pred) !== CROSSES) return -1;
  return candidates(l, pred, claimed, 1, -1, 0) === 0 ? -1 : candRow[0];
}
