// Seed search for src/tracks/seeds.ts: triplets of free hits on three pixel layers (inner A, middle B, outer C) that
// fit a helix from the beamline — or, for secondaries, a circle passing the beam axis at some distance. For each hit
// on B, the hits on A whose line to it meets the beam axis near the origin; for each such pair, the hits on C near
// the crossing their circle (or line) predicts; each triplet is judged by its transverse impact parameter and the
// third hit's residual from the (r, z) line of the first two. ~4·10⁶ pairs per MU = 200 event: typed arrays only.
import { radiusMmFromPt } from '../geometry/helix-math.ts';
import type { HitIndex, LayerView } from './hit-index.ts';
import { firstAtLeast, LAYER_BIN_MM, Window, windowQuery } from './hit-index.ts';
import { approxAtan2, APPROX_ATAN2_MAX_ERR } from './phi-window.ts';
import { ARC_SAGITTA_SHARE, arcZResidual } from './arc-residual.ts';
import { sortByKey } from './sort.ts';

/** What findSeeds needs of the seed settings (src/tracks/seeds.ts seedConfigSchema). */
export interface SeedCuts {
  minPtGeV: number;
  maxD0Mm: number;
  displacedMaxD0Mm: number;
  maxZ0Mm: number;
  maxDzMm: number;
  seedsPerHit: number;
}

/** Half width of the window (r·Δφ) around the crossing predicted from the first two hits on the third layer, mm
 * (resolution, multiple scattering and the spread of module radii within a layer). */
const C_WINDOW_MM = 2;

/** Seeds as found: hit rows a, b, c (inner to outer layer) and quality (lower is better), in the order found. */
export class SeedList {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  c = new Int32Array(1024);
  quality = new Float64Array(1024);
  length = 0;

  /** Appends the seed (a, b, c) of quality pair.quality. */
  push(a: number, b: number, c: number): void {
    if (this.length === this.a.length) {
      const grow = <T extends Int32Array | Float64Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(2 * x.length);
        y.set(x);
        return y;
      };
      this.a = grow(this.a);
      this.b = grow(this.b);
      this.c = grow(this.c);
      this.quality = grow(this.quality);
    }
    const k = this.length++;
    this.a[k] = a;
    this.b[k] = b;
    this.c[k] = c;
    this.quality[k] = pair.quality;
  }

  /** Seeds best first: by quality, ties in the order found (a stable sort). */
  sorted(): SeedList {
    const n = this.length;
    const order = sortByKey(this.quality, n);
    const out = new SeedList();
    out.a = new Int32Array(n);
    out.b = new Int32Array(n);
    out.c = new Int32Array(n);
    out.quality = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      out.a[k] = this.a[i];
      out.b[k] = this.b[i];
      out.c[k] = this.c[i];
      out.quality[k] = this.quality[i];
    }
    out.length = n;
    return out;
  }
}

let bufA = new Int32Array(1024);
const aWindow = new Window();

/** The best few seeds through the middle hit being searched (most of the others are combinatorial fakes): a short
 * list sorted by quality (ties: first found first), flushed into the seed list when the next middle hit starts. */
class TopSeeds {
  q = new Float64Array(16);
  a = new Int32Array(16);
  c = new Int32Array(16);
  n = 0;
  k = 1;

  reset(k: number): void {
    if (this.q.length < k) {
      this.q = new Float64Array(k);
      this.a = new Int32Array(k);
      this.c = new Int32Array(k);
    }
    this.k = k;
    this.n = 0;
  }

  /** Offers the seed (a, this middle hit, c) of quality pair.quality. */
  offer(a: number, c: number): void {
    const quality = pair.quality;
    const k = this.k;
    if (this.n === k && quality >= this.q[k - 1]) return;
    let j = this.n < k ? this.n++ : k - 1;
    for (; j > 0 && this.q[j - 1] > quality; j--) {
      this.q[j] = this.q[j - 1];
      this.a[j] = this.a[j - 1];
      this.c[j] = this.c[j - 1];
    }
    this.q[j] = quality;
    this.a[j] = a;
    this.c[j] = c;
  }

  flush(b: number, out: SeedList): void {
    for (let j = 0; j < this.n; j++) {
      pair.quality = this.q[j];
      out.push(this.a[j], b, this.c[j]);
    }
    this.n = 0;
  }
}
const top = new TopSeeds();

/** The search's settings and the pair (a, b) being extended to C: what findThirdHits and tryThird need, in fields
 * of one object of one shape (NaN-initialised: unboxed doubles) rather than arguments — a double argument of a call
 * that is not inlined is boxed, one allocation per call, and these run ~10⁶–10⁷ times per event; settings objects of
 * several shapes (each round's config) would make their loads polymorphic. */
class Pair {
  maxD0Mm = NaN;
  displacedMaxD0Mm = NaN;
  maxZ0Mm = NaN;
  maxDzMm = NaN;
  displaced = false;
  arcDz = false;
  a = 0;
  b = 0;
  ra = NaN;
  za = NaN;
  rb = NaN;
  zb = NaN;
  xa = NaN;
  ya = NaN;
  xb = NaN;
  yb = NaN;
  dr = NaN;
  dzAB = NaN;
  /** Azimuth of b, the smallest helix radius (mm), and the quality of the last triplet tried. */
  phiB = NaN;
  rMin = NaN;
  quality = NaN;
  /** Extent of C's hits across the layer: r (barrel) or z (disk), mm. */
  cAcrossLo = NaN;
  cAcrossHi = NaN;
}
const pair = new Pair();

/** Appends to `out` the seeds of free hits on layers A, B, C (see the file comment), per middle hit the best
 * `seedsPerHit` in quality order. `displaced`: seeds of secondaries instead, whose circle passes the beam axis between
 * maxD0Mm and displacedMaxD0Mm (windows from the straight line through the first two hits instead of the circle
 * through the origin); 'arc': the same, with z on barrel layers linear along the circle, not in r (arc-residual.ts). */
export function findSeeds(
  idx: HitIndex,
  A: LayerView,
  B: LayerView,
  C: LayerView,
  cuts: SeedCuts,
  displaced: boolean | 'arc',
  out: SeedList,
): void {
  const rMin = radiusMmFromPt(cuts.minPtGeV);
  let rMinA = Infinity;
  let rMaxA = -Infinity;
  for (let k = 0; k < A.r.length; k++) {
    rMinA = Math.min(rMinA, A.r[k]);
    rMaxA = Math.max(rMaxA, A.r[k]);
  }
  if (bufA.length < A.rows.length) bufA = new Int32Array(A.rows.length);
  const z0Max = cuts.maxZ0Mm;
  top.reset(cuts.seedsPerHit);
  pair.rMin = rMin;
  pair.maxD0Mm = cuts.maxD0Mm;
  pair.displacedMaxD0Mm = cuts.displacedMaxD0Mm;
  pair.maxZ0Mm = cuts.maxZ0Mm;
  pair.maxDzMm = cuts.maxDzMm;
  pair.displaced = displaced !== false;
  pair.arcDz = displaced === 'arc';
  // The extent of C's hits across it (r on a barrel layer, z on a disk): bounds the residual window along C.
  const across = C.barrel ? C.r : C.z;
  let acrossLo = Infinity;
  let acrossHi = -Infinity;
  for (let k = 0; k < across.length; k++) {
    acrossLo = Math.min(acrossLo, across[k]);
    acrossHi = Math.max(acrossHi, across[k]);
  }
  pair.cAcrossLo = acrossLo;
  pair.cAcrossHi = acrossHi;
  for (let kb = 0; kb < B.rows.length; kb++) {
    const b = B.rows[kb];
    const rb = B.r[kb];
    const zb = B.z[kb];
    if (!bottomRange(A, C, rb, zb, rMinA, rMaxA, cuts)) continue;
    // Azimuth window from the smallest radius a hit on A can have here (a disk's r window is narrow, so this is
    // much tighter than the layer's whole r range).
    const rAMin = A.barrel ? rMinA : Math.max(aWindow.alongLo, rMinA);
    // A secondary's azimuth at radius r is also off by asin(d0 / r): between the two radii by at most this difference.
    const dPhiAB =
      turn(rAMin, rb, rMin) +
      (displaced ? Math.asin(Math.min(1, pair.displacedMaxD0Mm / rAMin)) - Math.asin(Math.min(1, pair.displacedMaxD0Mm / rb)) : 0);
    aWindow.phi = B.phi[kb];
    aWindow.dPhi = dPhiAB;
    const nA = windowQuery(A, aWindow, true, bufA);
    pair.b = b;
    pair.phiB = B.phi[kb];
    pair.rb = rb;
    pair.zb = zb;
    pair.xb = B.x[kb];
    pair.yb = B.y[kb];
    for (let ia = 0; ia < nA; ia++) {
      const ka = bufA[ia];
      const ra = A.r[ka];
      const za = A.z[ka];
      // The line through a and b in (r, z): z = za + t·(zb − za), r = ra + t·(rb − ra).
      const dr = rb - ra;
      const dzAB = zb - za;
      if (!(dr > 0)) continue; // tracks leave the beam line outwards
      if (Math.abs(za - (ra * dzAB) / dr) > z0Max) continue;
      const a = A.rows[ka];
      pair.a = a;
      pair.ra = ra;
      pair.za = za;
      pair.xa = A.x[ka];
      pair.ya = A.y[ka];
      pair.dr = dr;
      pair.dzAB = dzAB;
      findThirdHits(idx, C);
    }
    top.flush(b, out);
  }
}

/** The along range of the hits on A for the middle hit (rb, zb), into aWindow.alongLo / alongHi: those whose line to
 * b meets the beam axis within ±maxZ0Mm (z on a barrel layer at radius ~A.meanR, r on a disk at z ~A.meanZ, between
 * the values of the lines from b to z0 = ±maxZ0Mm, plus 10 mm), and to a disk C from a barrel A, only those whose
 * line reaches C within its radii (diskReach). False when there are none. */
function bottomRange(A: LayerView, C: LayerView, rb: number, zb: number, rMinA: number, rMaxA: number, cuts: SeedCuts): boolean {
  const z0Max = cuts.maxZ0Mm;
  let lo: number, hi: number;
  if (A.barrel) {
    const z1 = z0Max + ((zb - z0Max) * A.meanR) / rb;
    const z2 = -z0Max + ((zb + z0Max) * A.meanR) / rb;
    lo = Math.min(z1, z2) - 10;
    hi = Math.max(z1, z2) + 10;
    if (!C.barrel && diskReach(C, rb, zb, rMinA, rMaxA, cuts.maxDzMm + 10)) {
      lo = Math.max(lo, reach.lo);
      hi = Math.min(hi, reach.hi);
      if (!(lo <= hi)) return false;
    }
  } else {
    if (Math.abs(zb) <= z0Max || Math.sign(zb) !== Math.sign(A.meanZ)) return false;
    const r1 = (rb * (A.meanZ - z0Max)) / (zb - z0Max);
    const r2 = (rb * (A.meanZ + z0Max)) / (zb + z0Max);
    lo = Math.min(r1, r2) - 10;
    hi = Math.max(r1, r2) + 10;
  }
  aWindow.alongLo = lo;
  aWindow.alongHi = hi;
  return true;
}

/** The z range of hits on a barrel layer A (radii raMin..raMax) for the middle hit (rb, zb) and a disk C: hits a
 * whose line to b crosses C's mean z at a radius rC beyond rb and within C's free hits' radii widened by the along
 * window (spread) and 1 mm. A pair outside it finds no third hit (rC ≤ rb, or its along window [rC ± spread] on C
 * misses C's hits), so leaving it out changes no seed: 50–70 % of the pairs of the barrel-to-disk triplets. Into
 * reach.lo / reach.hi (±Infinity where unbounded); false when degenerate (no restriction then). */
function diskReach(C: LayerView, rb: number, zb: number, raMin: number, raMax: number, spread: number): boolean {
  const dz = C.meanZ - zb;
  // rC − rb = dz / q with q = (zb − za) / (rb − ra) the pair's dz/dr: q has dz's sign, |q| ≥ |dz| / (most rC − rb)
  // and, where C's radii start beyond rb, |q| ≤ |dz| / (least rC − rb).
  const most = C.hi + spread + 1 - rb;
  const least = C.lo - spread - 1 - rb;
  if (!(Math.abs(dz) >= 1) || !(most > 0) || !(raMax < rb)) return false;
  const qMin = Math.abs(dz) / most;
  const qMax = least > 0 ? Math.abs(dz) / least : Infinity;
  // za = zb − q·(rb − ra), with rb − ra in [rb − raMax, rb − raMin] (positive): extremes at the corners.
  const near = qMin * (rb - raMax);
  const far = qMax * (rb - raMin);
  const margin = 0.01 + 1e-9 * (Math.abs(zb) + Math.abs(dz));
  reach.lo = (dz > 0 ? zb - far : zb + near) - margin;
  reach.hi = (dz > 0 ? zb - near : zb + far) + margin;
  return true;
}
const reach = { lo: NaN, hi: NaN };

/** Azimuth a track of radius ≥ rMin from the origin turns between radii r1 < r2 (plus slack for resolution). */
function turn(r1: number, r2: number, rMin: number): number {
  return Math.asin(Math.min(1, r2 / (2 * rMin))) - Math.asin(Math.min(1, r1 / (2 * rMin))) + 0.002;
}

/** For the pair in `pair`: hits on C near where its circle through the origin (or, displaced, its straight line)
 * crosses C, each offered to `top` with its quality. */
function findThirdHits(idx: HitIndex, C: LayerView): void {
  const { ra, za, rb, zb, xa, ya, xb, yb, dr, dzAB, phiB, rMin, displaced } = pair;
  // Where the line crosses C: at C's radius (barrel) or C's z (disk).
  const rC = C.barrel ? C.meanR : ra + ((C.meanZ - za) * dr) / dzAB;
  if (!(rC > rb)) return;
  // Window along C: the line's z at C's radius (±maxDzMm, and the spread of radii within a barrel layer), or
  // its r at C's z. A window beyond C's free hits (most pairs of barrel layers aimed at a disk pass it inside or
  // outside its radii) holds none: the pair stops before its circle is computed.
  const alongC = C.barrel ? zb + ((rC - rb) * dzAB) / dr : rC;
  const spread = pair.maxDzMm + (C.barrel ? (10 * Math.abs(dzAB)) / dr : 10);
  let alongLo = alongC - spread;
  let alongHi = alongC + spread;
  if (!(pair.arcDz && C.barrel)) {
    // tryThird's residual cut, with C's hits' extent across the layer (a barrel layer's radii span ~3 mm, a disk's z
    // ~5 mm; the spread above allows 20), bounds the window further: (r − rb)·dzAB / dr (barrel) or (z − zb)·dr / dzAB
    // (disk) is monotone in r (z) in floating point too, so every hit that passes the cut lies inside (+1 µm for the
    // rounding of the sums). Hits outside would fail the cut: the seeds found are the same, with fewer tried. (Not
    // for 'arc' seeds on a barrel layer: their residual is another.)
    const t1 = C.barrel ? ((pair.cAcrossLo - rb) * dzAB) / dr : ((pair.cAcrossLo - zb) * dr) / dzAB;
    const t2 = C.barrel ? ((pair.cAcrossHi - rb) * dzAB) / dr : ((pair.cAcrossHi - zb) * dr) / dzAB;
    const base = C.barrel ? zb : rb;
    alongLo = Math.max(alongLo, base + Math.min(t1, t2) - pair.maxDzMm - 1e-3);
    alongHi = Math.min(alongHi, base + Math.max(t1, t2) + pair.maxDzMm + 1e-3);
    if (!(alongLo <= alongHi) || alongLo > C.hi || alongHi < C.lo) return;
  }
  // The circle through the origin, a and b (centre solves 2·u·x + 2·v·y = x² + y² for both hits) predicts
  // the azimuth there: only hits near it are tried.
  const det = 2 * (xa * yb - xb * ya);
  // The predicted azimuth is atan2(pY, pX) (or phiB itself): placed first with approxAtan2, then Math.atan2 only where a
  // hit lies so close to the window's edge that the approximation could misplace it (the hits tried are the same).
  let pX = NaN;
  let pY = NaN;
  let dPhiC = C_WINDOW_MM / rC;
  if (displaced) {
    // The straight line from a through b, continued to distance rC from the origin; a circle of radius ≥ rMin
    // through a and b bends away from it by at most L_ab·L_bc / 2rMin there.
    const lab = Math.sqrt((xb - xa) * (xb - xa) + (yb - ya) * (yb - ya));
    if (!(lab > 0)) return;
    // The chord's distance from the beam axis: at most d0 plus how far a circle of radius ≥ rMin bends away from
    // it between the axis and the hits (most pairs in the wide azimuth window fail here, before any C query).
    if (Math.abs(xa * yb - xb * ya) / lab > pair.displacedMaxD0Mm + (ra * rb) / (2 * rMin)) return;
    const ex = (xb - xa) / lab;
    const ey = (yb - ya) / lab;
    const bu = xb * ex + yb * ey;
    const disc = bu * bu - rb * rb + rC * rC;
    if (!(disc >= 0)) return;
    const t = -bu + Math.sqrt(disc);
    if (!(t > 0)) return;
    pX = xb + t * ex;
    pY = yb + t * ey;
    dPhiC = (C_WINDOW_MM + ((lab + t) * t) / (2 * rMin)) / rC;
    if (pair.arcDz && C.barrel) {
      const half = spread + (Math.abs(dzAB / lab) * ARC_SAGITTA_SHARE * (lab + t) * t) / (2 * rMin);
      alongLo = zb + (dzAB / lab) * t - half;
      alongHi = alongLo + 2 * half;
    }
  } else if (Math.abs(det) > 1e-9) {
    const qa = xa * xa + ya * ya;
    const qb = xb * xb + yb * yb;
    const u = (qa * yb - qb * ya) / det;
    const v = (qb * xa - qa * xb) / det;
    const rho = Math.sqrt(u * u + v * v);
    if (rho < rMin || rC > 2 * rho) return;
    const sense = Math.sign(u * yb - v * xb) || 1;
    // The point at distance rC from the origin: the centre's direction turned by ∓acos(rC / 2ρ), written with
    // cos(acos x) = x and sin(acos x) = √(1 − x²) (one atan2 instead of three trigonometric calls).
    const cx = rC / (2 * rho);
    const cy = sense * Math.sqrt(1 - cx * cx);
    const ux = u / rho;
    const uy = v / rho;
    pX = ux * cx - uy * cy;
    pY = uy * cx + ux * cy;
  } else dPhiC += 0.002;
  const nBins = C.binStart.length - 1;
  win.b0 = Math.max(0, Math.floor((alongLo - C.alongMin) / LAYER_BIN_MM));
  win.b1 = Math.min(nBins - 1, Math.floor((alongHi - C.alongMin) / LAYER_BIN_MM));
  win.alongLo = alongLo;
  win.alongHi = alongHi;
  win.dPhi = dPhiC;
  win.pX = pX;
  win.pY = pY;
  const approx = pX === pX ? approxAtan2(pY, pX) : phiB;
  if (pX === pX && Math.abs(approx) + dPhiC + 2 * APPROX_ATAN2_MAX_ERR < Math.PI) scanNearEdges(idx, C, approx);
  else scanExact(idx, C, pX === pX ? Math.atan2(pY, pX) : phiB);
}

/** The C window of the pair being extended (set by findThirdHits, read by the scans: fields, not boxed arguments). */
class CWindow {
  b0 = 0;
  b1 = 0;
  alongLo = NaN;
  alongHi = NaN;
  dPhi = NaN;
  /** The predicted point (NaN: the azimuth is phiB's). */
  pX = NaN;
  pY = NaN;
}
const win = new CWindow();

/** The hits of C within win's along range and its φ window around phiC (where the window crosses ±π, its other part
 * after it in each bin), each tried in turn. */
function scanExact(idx: HitIndex, C: LayerView, phiC: number): void {
  const { b0, b1, alongLo, alongHi, dPhi } = win;
  const lo = phiC - dPhi;
  const hi = phiC + dPhi;
  const from0 = Math.max(lo, -Math.PI);
  const to0 = Math.min(hi, Math.PI);
  const wraps = lo < -Math.PI || hi > Math.PI;
  const from1 = lo < -Math.PI ? lo + 2 * Math.PI : -Math.PI;
  const to1 = lo < -Math.PI ? Math.PI : hi - 2 * Math.PI;
  const phi = C.phi;
  const along = C.along;
  for (let b = b0; b <= b1; b++) {
    const end = C.binStart[b + 1];
    if (C.binStart[b] === end) continue;
    for (let k = firstAtLeast(C, b, end, from0); k < end && phi[k] <= to0; k++)
      if (along[k] >= alongLo && along[k] <= alongHi) tryThird(idx, C, k);
    if (wraps)
      for (let k = firstAtLeast(C, b, end, from1); k < end && phi[k] <= to1; k++)
        if (along[k] >= alongLo && along[k] <= alongHi) tryThird(idx, C, k);
  }
}

/** scanExact's hits, in its order, from a window placed around `approx` (within APPROX_ATAN2_MAX_ERR of the exact
 * azimuth, the window clear of ±π): hits inside its inner part are inside the exact window, those outside its outer
 * part outside; for a hit between the two, the exact azimuth decides (computed once, on the first such hit). */
function scanNearEdges(idx: HitIndex, C: LayerView, approx: number): void {
  const { b0, b1, alongLo, alongHi, dPhi } = win;
  const outerLo = approx - dPhi - APPROX_ATAN2_MAX_ERR;
  const outerHi = approx + dPhi + APPROX_ATAN2_MAX_ERR;
  const innerLo = approx - dPhi + APPROX_ATAN2_MAX_ERR;
  const innerHi = approx + dPhi - APPROX_ATAN2_MAX_ERR;
  let lo = NaN;
  let hi = NaN;
  const phi = C.phi;
  const along = C.along;
  for (let b = b0; b <= b1; b++) {
    const end = C.binStart[b + 1];
    if (C.binStart[b] === end) continue;
    for (let k = firstAtLeast(C, b, end, outerLo); k < end && phi[k] <= outerHi; k++) {
      if (!(along[k] >= alongLo && along[k] <= alongHi)) continue;
      const p = phi[k];
      if (p < innerLo || p > innerHi) {
        if (lo !== lo) {
          const phiC = Math.atan2(win.pY, win.pX);
          lo = phiC - dPhi;
          hi = phiC + dPhi;
        }
        if (!(p >= lo && p <= hi)) continue;
      }
      tryThird(idx, C, k);
    }
  }
}

/** Hit kc of C completes the pair in `pair` when its residual along C from the pair's (r, z) line is within maxDzMm
 * and the circle through the three hits has a radius ≥ rMin and passes the beam axis within the d0 cut; then it is
 * offered to `top` with its quality. */
function tryThird(idx: HitIndex, C: LayerView, kc: number): void {
  const { rb, zb, xa, ya, xb, yb, dr, dzAB, rMin, displaced, maxDzMm, maxD0Mm, displacedMaxD0Mm } = pair;
  // Residual along C from the line through a and b.
  let res = C.barrel ? C.z[kc] - (zb + ((C.r[kc] - rb) * dzAB) / dr) : C.r[kc] - (rb + ((C.z[kc] - zb) * dr) / dzAB);
  if (!(pair.arcDz && C.barrel) && Math.abs(res) > maxDzMm) return;
  // Circle through the three hits: centre from the perpendicular bisectors.
  const xc = C.x[kc],
    yc = C.y[kc];
  const d = 2 * (xa * (yb - yc) + xb * (yc - ya) + xc * (ya - yb));
  if (Math.abs(d) < 1e-9) return;
  const a2 = xa * xa + ya * ya,
    b2 = xb * xb + yb * yb,
    c2 = xc * xc + yc * yc;
  const ux = (a2 * (yb - yc) + b2 * (yc - ya) + c2 * (ya - yb)) / d;
  const uy = (a2 * (xc - xb) + b2 * (xa - xc) + c2 * (xb - xa)) / d;
  const radius = Math.sqrt((xa - ux) * (xa - ux) + (ya - uy) * (ya - uy));
  if (radius < rMin) return;
  const d0 = Math.abs(Math.sqrt(ux * ux + uy * uy) - radius);
  if (displaced ? d0 <= maxD0Mm || d0 > displacedMaxD0Mm : d0 > maxD0Mm) return;
  if (pair.arcDz && C.barrel && !(Math.abs((res = arcZResidual(xa, ya, xb, yb, xc, yc, ux, uy, pair.za, zb, C.z[kc]))) <= maxDzMm)) return;
  pair.quality = (displaced ? 0 : d0 / maxD0Mm) + Math.abs(res) / maxDzMm;
  top.offer(pair.a, C.rows[kc]);
}
