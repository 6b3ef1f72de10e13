// Extends tracks found in the pixel detector into the strip layers: a helix through the beamline and the track's
// hits is extrapolated layer by layer and the closest unclaimed strip hit inside a window joins the track (then
// the helix is refitted through it). Pixel-only graphs leave strip hits as single-hit tracks; this recovers them.
import { z } from 'zod';
import { groupIds64 } from '../../scoring/dense-ids.ts';
import type { Hits } from '../trackml/types.ts';

// Math.hypot is several times slower than the square root in V8; this runs ~10^6 times per event.
const len2 = (x: number, y: number): number => Math.sqrt(x * x + y * y);

/** TrackML strip volumes: short strips 12–14, long strips 16–18 (barrel 13 and 17). */
const BARREL_STRIP_VOLUMES = new Set([13, 17]);
const STRIP_VOLUMES = new Set([12, 13, 14, 16, 17, 18]);

export const extendConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Tracks with at least this many hits are extended. */
  minHits: z.number().int().min(2).default(3),
  /** Window across the strips (r·Δφ), mm, for short (12–14) and long (16–18) strip volumes. Residuals of true
   * strip hits to the helix of a pixel-only track, simulated MU = 200: across 50/80/90 % at 0.5/2/5 mm (short)
   * and 4/12/25 mm (long); along 0.4/1/1.7 mm (short) and 3.5/7/12 mm (long). Windows at ~85 % keep 97 %
   * of the added hits right. */
  shortAcrossMm: z.number().positive().default(5),
  longAcrossMm: z.number().positive().default(12),
  /** Window along the strips (Δz in the barrel, Δr in the endcaps), mm. */
  shortAlongMm: z.number().positive().default(4),
  longAlongMm: z.number().positive().default(12),
});
export type ExtendConfig = z.output<typeof extendConfigSchema>;

interface Layer {
  barrel: boolean;
  /** Mean r (barrel) or mean z (endcap disk) of the layer's hits in this event, mm. */
  position: number;
  acrossMm: number;
  alongMm: number;
  /** Extent of the layer's hits across its position: z range (barrel) or r range (disk), mm. */
  lo: number;
  hi: number;
  /** Candidate hit rows sorted by φ, and their φ. */
  rows: Int32Array;
  phi: Float64Array;
}

/** Helix through the origin (prompt track): circle centre (cx, cy), radius rc, rotation sense, z = z0 + slope·s. */
interface Helix {
  cx: number;
  cy: number;
  rc: number;
  sense: number;
  z0: number;
  slope: number;
}

function circleThroughOrigin(x1: number, y1: number, x2: number, y2: number): { cx: number; cy: number; rc: number } | undefined {
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

function fitHelix(hits: Hits, rows: number[]): Helix | undefined {
  // rows sorted by distance from the origin; circle through origin, the middle and the outermost hit.
  const m = rows[rows.length >> 1];
  const o = rows[rows.length - 1];
  let c = circleThroughOrigin(hits.x[m], hits.y[m], hits.x[o], hits.y[o]);
  if (!c || c.rc > 1e6) c = { cx: -hits.y[o] * 1e6, cy: hits.x[o] * 1e6, rc: 1e6 * len2(hits.x[o], hits.y[o]) };
  // Sense: +1 when the track turns counter-clockwise around the centre as it leaves the origin.
  const sense = Math.sign(c.cx * hits.y[o] - c.cy * hits.x[o]) || 1;
  // z against arc length, least squares.
  let n = 0, ss = 0, sz = 0, sss = 0, ssz = 0;
  for (const r of rows) {
    const s = arcTo(len2(hits.x[r], hits.y[r]), c.rc);
    n++; ss += s; sz += hits.z[r]; sss += s * s; ssz += s * hits.z[r];
  }
  const den = n * sss - ss * ss;
  if (Math.abs(den) < 1e-9) return undefined;
  const slope = (n * ssz - ss * sz) / den;
  return { ...c, sense, slope, z0: (sz - slope * ss) / n };
}

/** Point of the helix at transverse distance d from the origin. */
function pointAtDistance(h: Helix, d: number): { x: number; y: number } | undefined {
  if (d > 2 * h.rc) return undefined; // the track curls up before reaching this radius
  const phiC = Math.atan2(h.cy, h.cx);
  const phi = phiC + h.sense * Math.acos(d / (2 * h.rc));
  return { x: d * Math.cos(phi), y: d * Math.sin(phi) };
}

function wrap(dphi: number): number {
  while (dphi > Math.PI) dphi -= 2 * Math.PI;
  while (dphi < -Math.PI) dphi += 2 * Math.PI;
  return dphi;
}

/** Returns new track ids: tracks with ≥ minHits hits take strip hits that are single-hit tracks. */
export function extendIntoStrips(hits: Hits, trackId: BigInt64Array, config: ExtendConfig): BigInt64Array {
  const n = hits.hitId.length;
  const out = trackId.slice();
  if (!config.enabled) return out;
  // Tracks as dense groups of rows.
  const groups = groupIds64(trackId);
  const size = new Int32Array(groups.groups);
  for (let r = 0; r < n; r++) size[groups.groupOfRow[r]]++;
  const dist3 = new Float64Array(n);
  for (let r = 0; r < n; r++) dist3[r] = Math.sqrt(hits.x[r] * hits.x[r] + hits.y[r] * hits.y[r] + hits.z[r] * hits.z[r]);
  // Strip layers: free hits (single-hit tracks) by (volume, layer), sorted by φ.
  const byLayer = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    if (!STRIP_VOLUMES.has(hits.volumeId[r]) || size[groups.groupOfRow[r]] !== 1) continue;
    const key = hits.volumeId[r] * 256 + hits.layerId[r];
    const list = byLayer.get(key);
    if (list) list.push(r);
    else byLayer.set(key, [r]);
  }
  const layers: Layer[] = [];
  for (const [key, rows] of byLayer) {
    const vol = key >> 8;
    const barrel = BARREL_STRIP_VOLUMES.has(vol);
    const long = vol >= 16;
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
    const order = rows.map((_, i) => i).sort((a, b) => phis[a] - phis[b]);
    layers.push({
      barrel,
      position: sum / rows.length,
      lo,
      hi,
      acrossMm: long ? config.longAcrossMm : config.shortAcrossMm,
      alongMm: long ? config.longAlongMm : config.shortAlongMm,
      rows: Int32Array.from(order.map((i) => rows[i])),
      phi: Float64Array.from(order.map((i) => phis[i])),
    });
  }
  const claimed = new Uint8Array(n);
  // Longest tracks first: they have the best helices and the best claim on a contested hit.
  const rowsOf: number[][] = Array.from({ length: groups.groups }, () => []);
  for (let r = 0; r < n; r++) if (size[groups.groupOfRow[r]] >= config.minHits) rowsOf[groups.groupOfRow[r]].push(r);
  const tracks = rowsOf.filter((rows) => rows.length > 0).sort((a, b) => b.length - a.length);
  for (const rows0 of tracks) {
    const id = trackId[rows0[0]];
    const rows = rows0.slice().sort((a, b) => dist3[a] - dist3[b]);
    let helix = fitHelix(hits, rows);
    if (!helix) continue;
    // Candidate layers in order of distance along the track: barrel by radius, disks by |z| on the track's side.
    const forward = helix.slope >= 0;
    const order = layers
      .map((l) => {
        if (l.barrel) return { l, s: arcTo(l.position, helix!.rc) };
        if (forward !== l.position > 0) return { l, s: Infinity };
        return { l, s: (l.position - helix!.z0) / helix!.slope };
      })
      .filter((c) => Number.isFinite(c.s) && c.s > 0)
      .sort((a, b) => a.s - b.s);
    for (const { l } of order) {
      const h = helix;
      let px: number, py: number, pz: number;
      if (l.barrel) {
        const p = pointAtDistance(h, l.position);
        if (!p) break;
        px = p.x; py = p.y;
        pz = h.z0 + h.slope * arcTo(l.position, h.rc);
      } else {
        const s = (l.position - h.z0) / h.slope;
        if (!(s > 0) || s > Math.PI * h.rc) continue;
        const d = 2 * h.rc * Math.sin(s / (2 * h.rc));
        const p = pointAtDistance(h, d);
        if (!p) continue;
        px = p.x; py = p.y; pz = l.position;
      }
      const rPred = len2(px, py);
      // Outside the layer's extent (beyond the window): the track misses this layer.
      const extentPred = l.barrel ? pz : rPred;
      if (extentPred < l.lo - l.alongMm || extentPred > l.hi + l.alongMm) continue;
      const phiPred = Math.atan2(py, px);
      const dPhiMax = l.acrossMm / Math.max(rPred, 1);
      // Scan the φ-sorted hits within the window (binary search to the window start).
      let lo = 0, hi = l.phi.length;
      const start = phiPred - dPhiMax;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (l.phi[mid] < start) lo = mid + 1;
        else hi = mid;
      }
      let best = -1;
      let bestCost = Infinity;
      const visit = (k: number) => {
        const r = l.rows[k];
        if (claimed[r]) return;
        const rr = len2(hits.x[r], hits.y[r]);
        const across = Math.abs(wrap(l.phi[k] - phiPred)) * rr;
        const along = l.barrel ? Math.abs(hits.z[r] - pz) : Math.abs(rr - rPred);
        if (across > l.acrossMm || along > l.alongMm) return;
        const cost = (across / l.acrossMm) ** 2 + (along / l.alongMm) ** 2;
        if (cost < bestCost) {
          bestCost = cost;
          best = r;
        }
      };
      for (let k = lo; k < l.phi.length && l.phi[k] <= phiPred + dPhiMax; k++) visit(k);
      // Windows that straddle ±π.
      if (phiPred - dPhiMax < -Math.PI) for (let k = l.phi.length - 1; k >= 0 && l.phi[k] >= phiPred - dPhiMax + 2 * Math.PI; k--) visit(k);
      if (phiPred + dPhiMax > Math.PI) for (let k = 0; k < l.phi.length && l.phi[k] <= phiPred + dPhiMax - 2 * Math.PI; k++) visit(k);
      if (best < 0) continue;
      claimed[best] = 1;
      out[best] = id;
      rows.push(best);
      helix = fitHelix(hits, rows) ?? helix;
    }
  }
  return out;
}
