// Helices through a track's hits, for the helix walk (src/tracks/helix-walk.ts): a circle through the beamline and
// two hits (prompt particles) or through three hits (secondaries), z linear in the transverse arc length, a wrong hit
// left out of the fit. Written into caller-owned Helix objects: a walk fits ~10⁶ helices per event.
import type { HitIndex } from './hit-index.ts';

/** Helix through the origin (prompt track): circle centre (cx, cy), radius rc, rotation sense, z = z0 + slope·s with
 * s the transverse arc length from the origin. A `general` helix (a secondary's: its circle need not pass the origin)
 * measures s from the circle's point closest to the origin (distance |dc − rc|), and its sense is the turn around the
 * centre. */
export class Helix {
  cx = 0;
  cy = 0;
  rc = 0;
  sense = 1;
  z0 = 0;
  slope = 0;
  general = false;
  /** Distance of the centre from the origin (general helices). */
  dc = 0;

  copy(h: Helix): this {
    this.cx = h.cx;
    this.cy = h.cy;
    this.rc = h.rc;
    this.sense = h.sense;
    this.z0 = h.z0;
    this.slope = h.slope;
    this.general = h.general;
    this.dc = h.dc;
    return this;
  }
}

/** Arc length from the origin to a point at distance d from it on a circle of radius rc through the origin. */
export const arcTo = (d: number, rc: number): number => 2 * rc * Math.asin(Math.min(1, d / (2 * rc)));

/** General helix: cosine of the turn around the centre, from the point closest to the origin to the points at
 * distance d from the origin (outside [−1, 1]: none). */
export function turnCos(h: Helix, d: number): number {
  return (h.dc * h.dc + h.rc * h.rc - d * d) / (2 * h.dc * h.rc);
}

/** Transverse arc length at which the helix first reaches distance d from the origin; NaN when it never does (a
 * general helix: d below its closest approach or beyond its reach). */
export function arcAt(h: Helix, d: number): number {
  if (!h.general) return arcTo(d, h.rc);
  const cosA = turnCos(h, d);
  return cosA > 1 || cosA < -1 ? NaN : h.rc * Math.acos(cosA);
}

/** Least-squares z = z0 + slope·s over the rows other than `skip` (s: arcAt; rows the helix never reaches are left
 * out), written into h; false when degenerate. */
function fitSlope(idx: HitIndex, rows: readonly number[], skip: number, h: Helix): boolean {
  const { z } = idx.hits;
  const { rT } = idx;
  const { rc, dc, general } = h;
  let n = 0,
    ss = 0,
    sz = 0,
    sss = 0,
    ssz = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === skip) continue;
    // arcAt(h, rT[r]), written out: a double returned by a call that is not inlined is an allocation.
    const d = rT[r];
    let s: number;
    if (!general) s = 2 * rc * Math.asin(Math.min(1, d / (2 * rc)));
    else {
      const cosA = (dc * dc + rc * rc - d * d) / (2 * dc * rc);
      s = cosA > 1 || cosA < -1 ? NaN : rc * Math.acos(cosA);
    }
    if (!Number.isFinite(s)) continue;
    n++;
    ss += s;
    sz += z[r];
    sss += s * s;
    ssz += s * z[r];
  }
  const den = n * sss - ss * ss;
  if (n < 2 || Math.abs(den) < 1e-9) return false;
  h.slope = (n * ssz - ss * sz) / den;
  h.z0 = (sz - h.slope * ss) / n;
  return true;
}

/** Transverse residual (mm) above which a hit is left out of the helix fit: a wrong hit on the track (often its
 * outermost one) would otherwise bend the extrapolation away from the particle's strip hits. */
const OUTLIER_MM = 2;

/** Least-squares circle through the origin and the rows' hits other than `skip` (x² + y² = 2a·x + 2b·y is linear in
 * the centre), written into `_circle`; false when they are collinear with the origin (infinite momentum). */
const _circle = { cx: 0, cy: 0, rc: 0 };
function circleFit(idx: HitIndex, rows: readonly number[], skip: number): boolean {
  const { x: hx, y: hy } = idx.hits;
  let sxx = 0,
    sxy = 0,
    syy = 0,
    sx3 = 0,
    sy3 = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === skip) continue;
    const x = hx[r],
      y = hy[r],
      q = x * x + y * y;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    sx3 += x * q;
    sy3 += y * q;
  }
  const det = sxx * syy - sxy * sxy;
  if (Math.abs(det) < 1e-9 * (sxx + syy) * (sxx + syy)) return false;
  _circle.cx = (sx3 * syy - sy3 * sxy) / (2 * det);
  _circle.cy = (sy3 * sxx - sx3 * sxy) / (2 * det);
  _circle.rc = Math.sqrt(_circle.cx * _circle.cx + _circle.cy * _circle.cy);
  return true;
}

/** |distance of hit r from the circle's centre − its radius|. */
function residual(idx: HitIndex, r: number, cx: number, cy: number, rc: number): number {
  const dx = idx.hits.x[r] - cx;
  const dy = idx.hits.y[r] - cy;
  return Math.abs(Math.sqrt(dx * dx + dy * dy) - rc);
}

/** The hit to leave out of the helix fit of `rows`, or −1: with four hits or more and a hit more than OUTLIER_MM
 * off their least-squares circle, the hit whose removal fits the others best (two hits on one layer can both be off
 * a circle pulled between them; leaving one out tells which is wrong). */
export function outlier(idx: HitIndex, rows: readonly number[]): number {
  if (rows.length < 4 || !circleFit(idx, rows, -1)) return -1;
  let worst = 0;
  for (let i = 0; i < rows.length; i++) worst = Math.max(worst, residual(idx, rows[i], _circle.cx, _circle.cy, _circle.rc));
  if (!(worst > OUTLIER_MM)) return -1;
  let skip = -1;
  let bestSq = Infinity;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!circleFit(idx, rows, r)) continue;
    let sq = 0;
    for (let j = 0; j < rows.length; j++) if (rows[j] !== r) sq += residual(idx, rows[j], _circle.cx, _circle.cy, _circle.rc) ** 2;
    if (sq < bestSq) {
      bestSq = sq;
      skip = r;
    }
  }
  return skip;
}

/** Fits into `h` the helix of `rows` (sorted by distance from the origin; the last is the outermost) without the row
 * `skip`; `general`: through the first, middle and outermost hit instead of the origin (needs three kept rows).
 * False (h left in an unspecified state) when no helix fits. */
export function fitHelix(idx: HitIndex, rows: readonly number[], skip: number, general: boolean, h: Helix): boolean {
  // The helix: circle through the origin, the middle and the outermost hit kept. (The least-squares circle, tried
  // instead, lost displaced tracks: the outermost hit's lever arm matters more than the origin constraint there.)
  const si = skip < 0 ? -1 : rows.indexOf(skip);
  const nKept = si < 0 ? rows.length : rows.length - 1;
  // The i-th kept row is rows[i] before the skipped one, rows[i + 1] after it.
  const im = nKept >> 1;
  const io = nKept - 1;
  const m = si < 0 || im < si ? rows[im] : rows[im + 1];
  const o = si < 0 || io < si ? rows[io] : rows[io + 1];
  const { x, y } = idx.hits;
  if (general && nKept >= 3) {
    const f = si === 0 ? rows[1] : rows[0];
    if (generalHelix(idx, rows, skip, f, m, o, h)) return true;
  }
  // Circle through the origin, m and o: centre (cx, cy) with 2·cx·x + 2·cy·y = x² + y² for both points.
  const x1 = x[m],
    y1 = y[m],
    x2 = x[o],
    y2 = y[o];
  const det = 2 * (x1 * y2 - x2 * y1);
  let cx = 0,
    cy = 0,
    rc = Infinity;
  if (!(Math.abs(det) < 1e-9)) {
    const a = x1 * x1 + y1 * y1;
    const b = x2 * x2 + y2 * y2;
    cx = (a * y2 - b * y1) / det;
    cy = (b * x1 - a * x2) / det;
    rc = Math.sqrt(cx * cx + cy * cy);
  }
  if (!(rc <= 1e6)) {
    // Collinear with the origin (infinite momentum): a circle so large that it is a line over the detector.
    cx = -y2 * 1e6;
    cy = x2 * 1e6;
    rc = 1e6 * Math.sqrt(x2 * x2 + y2 * y2);
  }
  h.cx = cx;
  h.cy = cy;
  h.rc = rc;
  // Sense: +1 when the track turns counter-clockwise around the centre as it leaves the origin.
  h.sense = Math.sign(cx * y2 - cy * x2) || 1;
  h.general = false;
  h.dc = rc;
  return fitSlope(idx, rows, skip, h);
}

/** General helix: the circle through hits f, m and o, z against the arc length from its point closest to the origin
 * (rows other than `skip`), written into h; false when the three are (nearly) collinear or the z fit is degenerate. */
function generalHelix(idx: HitIndex, rows: readonly number[], skip: number, f: number, m: number, o: number, h: Helix): boolean {
  const { x, y } = idx.hits;
  const xa = x[f],
    ya = y[f],
    xb = x[m],
    yb = y[m],
    xc = x[o],
    yc = y[o];
  const d = 2 * (xa * (yb - yc) + xb * (yc - ya) + xc * (ya - yb));
  if (Math.abs(d) < 1e-9) return false;
  const a2 = xa * xa + ya * ya,
    b2 = xb * xb + yb * yb,
    c2 = xc * xc + yc * yc;
  const cx = (a2 * (yb - yc) + b2 * (yc - ya) + c2 * (ya - yb)) / d;
  const cy = (a2 * (xc - xb) + b2 * (xa - xc) + c2 * (xb - xa)) / d;
  const rc = Math.sqrt((xa - cx) * (xa - cx) + (ya - cy) * (ya - cy));
  const dc = Math.sqrt(cx * cx + cy * cy);
  if (rc > 1e6 || dc < 1e-6) return false;
  h.cx = cx;
  h.cy = cy;
  h.rc = rc;
  // Sense: the turn around the centre from the point closest to the origin (direction −c) towards the outermost hit.
  h.sense = Math.sign(-cx * (yc - cy) + cy * (xc - cx)) || 1;
  h.general = true;
  h.dc = dc;
  return fitSlope(idx, rows, skip, h);
}

/** Inserts `row` into `track` (sorted by distance from the origin) where it belongs; returns its index. The helix
 * fit takes the last row as the outermost hit: a hit the walk takes on a layer inside it (a layer the seed skipped,
 * or a disk crossed before a barrel layer) appended at the end would bend the helix. */
export function insertByDistance(idx: HitIndex, track: number[], row: number): number {
  const d = idx.d3sq;
  const dr = d[row];
  let j = track.length;
  track.push(row);
  for (; j > 0; j--) {
    const q = track[j - 1];
    if (d[q] <= dr) break;
    track[j] = q;
  }
  track[j] = row;
  return j;
}
