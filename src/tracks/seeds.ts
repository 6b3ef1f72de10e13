// Tracks the GNN's graph cannot hold: the shipped graph is built for pT > 1 GeV, while particles below 1 GeV carry
// about 70 % of the TrackML score weight. After the GNN tracks and their strip extension, triplets of free pixel hits
// (on barrel layers, on disks, or from the first barrel layers to the first disks) that fit a helix from the
// beamline (transverse impact parameter, straight line in r–z, radius of a particle above minPtGeV) seed new tracks;
// each seed is followed through every pixel and strip layer by the same helix walk as the strip extension
// (src/tracks/extend.ts) and kept when it collects minHits hits. Best seeds first, walks of at least longFirstHits
// hits are kept at once; the shorter ones then longest first; a hit taken by a kept track cannot seed or join another.
// Then the same for secondaries from the hits left: seeds whose circle passes the beam axis at up to
// displacedMaxD0Mm, followed with a helix that need not pass the beamline.
import { z } from 'zod';
import type { Hits } from '../trackml/types.ts';
import { buildLayers, followHelix, insertByDistance, PIXEL_VOLUMES, rowsByLayer, STRIP_VOLUMES, stripWindows, trackGroups, type ExtendConfig } from './extend.ts';
import { lowerBound, phiIntervals } from './phi-window.ts';
import { radiusMmFromPt } from '../geometry/helix-math.ts';

export const seedConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Lowest transverse momentum a seed may have (its helix radius), GeV. Below the lowest pT of the particles that
   * leave hits (~0.15 GeV): the radius of a three-hit circle is uncertain, most of all over the short transverse lever
   * arm of forward tracks (0.15 → 0.12: score +0.003 on simulated MU = 200 events; 0.10: no better). */
  minPtGeV: z.number().positive().default(0.12),
  /** Largest distance of the seed's circle from the beam axis, mm. Secondaries carry 9 % of the real sample's score
   * weight (4 % in our simulated events): 2 → 5 mm raised the real sample's score 0.844 → 0.855 (pT > 1 efficiency
   * 0.907 → 0.926), simulated events +0.001. */
  maxD0Mm: z.number().positive().default(5),
  /** After the prompt seeds, seeds of secondaries from the hits left (consecutive layers only): circles passing the
   * beam axis at more than maxD0Mm and up to this, followed with a helix that need not pass the beamline and kept
   * with at least displacedMinHits hits (0: no such round). With truth seeds the general helix follows 90 % of the
   * simulated secondaries born within 30 mm of the axis into majority tracks (48 % with the beamline helix).
   * 15 mm and 8 hits: score +0.0025 on both simulated sets, +0.004 on the real sample, ~0.1 s more per event;
   * 6 hits or 50 mm: real sample up to +0.011 but simulated events −0.007 (fake tracks in MU = 200 events). */
  displacedMaxD0Mm: z.number().min(0).default(15),
  displacedMinHits: z.number().int().min(3).default(8),
  /** Largest |z| where the line through the seed's first two hits meets the beam axis, mm. */
  maxZ0Mm: z.number().positive().default(200),
  /** Largest residual of the third hit from the line through the first two in (r, z), along its layer (z on the
   * barrel, r on a disk), mm. */
  maxDzMm: z.number().positive().default(3),
  /** Hits of tracks with at most this many hits count as free (seeds and their walks may take them): the short
   * tracks left by the GNN stage are mostly fragments and fakes (on simulated MU = 200 events the score rose from 1
   * to 6, 0.694 → 0.728; with the later builder steps 6 → 8 gives +0.003 on simulated events and +0.004 on the real
   * sample, 7 or 10 less). */
  freeTrackHits: z.number().int().min(1).default(8),
  /** Seeds kept per middle hit (the best by quality); the rest through that hit are mostly combinatorial fakes. */
  seedsPerHit: z.number().int().min(1).default(4),
  /** Also seed from layer triplets that skip one layer (particles with a missing hit): +0.01 in score on simulated
   * MU = 200 events for ~40 % more seeding time when there was one round; off by default since the late round
   * (tracks.late, on the hits left single) does it: there it finds what they found here with fewer wrong seeds
   * (npm start's events, before the hole filling: 0.897 with them in the late round only, 0.896 in both, which took
   * 40 % longer). */
  skipLayerTriplets: z.boolean().default(false),
  /** A followed seed becomes a track with at least this many hits (else its hits are left free). */
  minHits: z.number().int().min(3).default(6),
  /** A followed seed whose hits all lie in the pixel detector becomes a track from this many hits (omitted: minHits;
   * the late round, tracks.late, sets it). */
  pixelOnlyMinHits: z.number().int().min(3).optional(),
  /** A seed whose first walk finds at least this many hits becomes a track at once (best seeds first); the shorter
   * walks are then kept longest first, each followed again against the hits taken since (at or below minHits: every
   * walk is kept at once, best seed first). Two passes (≥ 9 hits first, then the rest) raised the score 0.788 → 0.795
   * and let minHits go down to 6; longest first instead of the second pass: 0.872 → 0.878 (npm start's events),
   * 0.872 → 0.880 (the pipeline benchmark's), fake rate of all tracks 0.031 → 0.024. A higher value orders more walks
   * by length and costs time: 11 gives 0.880 / 0.882 for ~40 % more track-building time, 9 gives 0.875 / 0.876. */
  longFirstHits: z.number().int().min(3).default(10),
  /** Windows on pixel layers while following (across: r·Δφ; along: Δz in the barrel, Δr on disks), mm. Across 0.5
   * instead of 1 mm: fewer wrong hits taken at MU = 200 (score 0.853 → 0.859 on npm start's events, 0.854 → 0.860 on
   * the pipeline benchmark's, fake rate of all tracks 0.027 → 0.022; the sparse real 5 % sample 0.836 → 0.833 alone,
   * 0.836 with the short strips' growing window). */
  pixelAcrossMm: z.number().positive().default(0.5),
  pixelAlongMm: z.number().positive().default(2),
  /** Seed on the pixel disks too (else the barrel only). */
  disks: z.boolean().default(true),
  /** A seed is given up when its helix crosses this many layers beyond the seed without finding a hit. */
  maxMisses: z.number().int().min(0).default(3),
});
export type SeedConfig = z.output<typeof seedConfigSchema>;

const PIXEL_BARREL = 8;
/** Half width of the window (r·Δφ) around the crossing predicted from the first two hits on the third layer, mm
 * (resolution, multiple scattering and the spread of module radii within a layer). */
const C_WINDOW_MM = 2;
const ALL_VOLUMES: ReadonlySet<number> = new Set([...PIXEL_VOLUMES, ...STRIP_VOLUMES]);

/** A layer's free hits sorted by (bin along the layer, φ), for window queries in both. "Along" is z on a barrel
 * layer and r on a disk. */
interface BinnedLayer {
  barrel: boolean;
  rows: Int32Array;
  phi: Float64Array;
  z: Float64Array;
  r: Float64Array;
  along: Float64Array;
  /** Hits of bin k are [binStart[k], binStart[k + 1]). */
  binStart: Int32Array;
  alongMin: number;
  meanR: number;
  meanZ: number;
}

const BIN_MM = 50;

function binnedLayer(hits: Hits, rows: number[], barrel: boolean): BinnedLayer {
  const n = rows.length;
  const r = Float64Array.from(rows, (k) => Math.sqrt(hits.x[k] * hits.x[k] + hits.y[k] * hits.y[k]));
  const along = barrel ? Float64Array.from(rows, (k) => hits.z[k]) : r;
  let lo = Infinity;
  let hi = -Infinity;
  let sumR = 0;
  let sumZ = 0;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, along[i]);
    hi = Math.max(hi, along[i]);
    sumR += r[i];
    sumZ += hits.z[rows[i]];
  }
  const nBins = n ? Math.floor((hi - lo) / BIN_MM) + 1 : 1;
  const bin = Int32Array.from(along, (v) => Math.min(nBins - 1, Math.floor((v - lo) / BIN_MM)));
  const phi = Float64Array.from(rows, (k) => Math.atan2(hits.y[k], hits.x[k]));
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => bin[p] - bin[q] || phi[p] - phi[q]);
  const binStart = new Int32Array(nBins + 1);
  for (let i = 0; i < n; i++) binStart[bin[i] + 1]++;
  for (let k = 0; k < nBins; k++) binStart[k + 1] += binStart[k];
  const sortedAlong = Float64Array.from(order, (i) => along[i]);
  return {
    barrel,
    rows: Int32Array.from(order, (i) => rows[i]),
    phi: Float64Array.from(order, (i) => phi[i]),
    z: Float64Array.from(order, (i) => hits.z[rows[i]]),
    r: Float64Array.from(order, (i) => r[i]),
    along: sortedAlong,
    binStart,
    alongMin: lo,
    meanR: n ? sumR / n : 0,
    meanZ: n ? sumZ / n : 0,
  };
}

const intervals = new Float64Array(4);

/** Writes into `out` the indices (into the layer's arrays) of its hits with |Δφ| ≤ dPhi of phi and the coordinate
 * along the layer in [alongLo, alongHi]; returns how many. Plain loops into a reused buffer, no callbacks: this runs ~10⁶
 * times per event. */
function query(l: BinnedLayer, phi: number, dPhi: number, alongLo: number, alongHi: number, out: Int32Array): number {
  const nBins = l.binStart.length - 1;
  const b0 = Math.max(0, Math.floor((alongLo - l.alongMin) / BIN_MM));
  const b1 = Math.min(nBins - 1, Math.floor((alongHi - l.alongMin) / BIN_MM));
  let n = 0;
  const parts = phiIntervals(phi, dPhi, intervals);
  for (let b = b0; b <= b1; b++) {
    const end = l.binStart[b + 1];
    for (let p = 0; p < parts; p++) {
      const to = intervals[2 * p + 1];
      for (let k = lowerBound(l.phi, l.binStart[b], end, intervals[2 * p]); k < end && l.phi[k] <= to; k++)
        if (l.along[k] >= alongLo && l.along[k] <= alongHi) out[n++] = k;
    }
  }
  return n;
}

interface Seed {
  rows: [number, number, number];
  quality: number;
}

/** Free pixel hits by layer (key volume·256 + layer), binned for seed finding. */
export function pixelLayers(hits: Hits, free: (row: number) => boolean): Map<number, BinnedLayer> {
  return new Map([...rowsByLayer(hits, free, PIXEL_VOLUMES)].map(([k, rows]) => [k, binnedLayer(hits, rows, k >> 8 === PIXEL_BARREL)]));
}

/** A pixel layer: volume and layer id. */
export type LayerKey = readonly [volume: number, layer: number];

/** Seeds from free hits on three pixel layers (inner to outer; barrel layers or disks), best (lowest quality value)
 * first. `displaced`: seeds of secondaries instead, whose circle passes the beam axis between maxD0Mm and
 * displacedMaxD0Mm (windows from the straight line through the first two hits instead of the circle through the
 * origin). */
export function findSeeds(hits: Hits, free: (row: number) => boolean, config: SeedConfig, triplet: readonly [LayerKey, LayerKey, LayerKey], layers = pixelLayers(hits, free), displaced = false): Seed[] {
  const [A, B, C] = triplet.map(([v, l]) => layers.get(v * 256 + l));
  const seeds: Seed[] = [];
  if (!A || !B || !C) return seeds;
  const rMin = radiusMmFromPt(config.minPtGeV);
  // Azimuth a track of radius ≥ rMin from the origin turns between radii r1 < r2 (plus slack for resolution).
  const turn = (r1: number, r2: number) => Math.asin(Math.min(1, r2 / (2 * rMin))) - Math.asin(Math.min(1, r1 / (2 * rMin))) + 0.002;
  const rRange = (l: BinnedLayer, lo: boolean) => {
    let v = lo ? Infinity : -Infinity;
    for (const r of l.r) v = lo ? Math.min(v, r) : Math.max(v, r);
    return v;
  };
  const rMinA = rRange(A, true);
  const bufA = new Int32Array(A.rows.length);
  const bufC = new Int32Array(C.rows.length);
  const z0Max = config.maxZ0Mm;
  // Only the best few seeds through each middle hit are kept (most of the others are combinatorial fakes): a short
  // list sorted by quality (ties: first found first) per middle hit, flushed into `seeds` when the next one starts
  // and after the loop.
  const k = config.seedsPerHit;
  const topQ = new Float64Array(k);
  const topA = new Int32Array(k);
  const topC = new Int32Array(k);
  let topN = 0;
  let topB = -1;
  const flush = () => {
    for (let j = 0; j < topN; j++) seeds.push({ rows: [topA[j], topB, topC[j]], quality: topQ[j] });
    topN = 0;
  };
  for (let kb = 0; kb < B.rows.length; kb++) {
    flush();
    const b = B.rows[kb];
    topB = b;
    const rb = B.r[kb];
    const zb = B.z[kb];
    // Hits on A whose line to b meets the beam axis within ±maxZ0Mm: z on a barrel layer at radius ~A.meanR, r on
    // a disk at z ~A.meanZ, between the values of the lines from b to z0 = ±maxZ0Mm.
    let lo: number, hi: number;
    if (A.barrel) {
      const z1 = z0Max + ((zb - z0Max) * A.meanR) / rb;
      const z2 = -z0Max + ((zb + z0Max) * A.meanR) / rb;
      lo = Math.min(z1, z2) - 10;
      hi = Math.max(z1, z2) + 10;
    } else {
      if (Math.abs(zb) <= z0Max || Math.sign(zb) !== Math.sign(A.meanZ)) continue;
      const r1 = (rb * (A.meanZ - z0Max)) / (zb - z0Max);
      const r2 = (rb * (A.meanZ + z0Max)) / (zb + z0Max);
      lo = Math.min(r1, r2) - 10;
      hi = Math.max(r1, r2) + 10;
    }
    // Azimuth window from the smallest radius a hit on A can have here (a disk's r window is narrow, so this is
    // much tighter than the layer's whole r range).
    const rAMin = A.barrel ? rMinA : Math.max(lo, rMinA);
    // A secondary's azimuth at radius r is also off by asin(d0 / r): between the two radii by at most this difference.
    const dPhiAB = turn(rAMin, rb) + (displaced ? Math.asin(Math.min(1, config.displacedMaxD0Mm / rAMin)) - Math.asin(Math.min(1, config.displacedMaxD0Mm / rb)) : 0);
    const nA = query(A, B.phi[kb], dPhiAB, lo, hi, bufA);
    for (let ia = 0; ia < nA; ia++) {
      const ka = bufA[ia];
      const a = A.rows[ka];
      const ra = A.r[ka];
      const za = A.z[ka];
      // The line through a and b in (r, z): z = za + t·(zb − za), r = ra + t·(rb − ra).
      const dr = rb - ra;
      const dzAB = zb - za;
      if (!(dr > 0)) continue; // tracks leave the beam line outwards
      if (Math.abs(za - (ra * dzAB) / dr) > z0Max) continue;
      // Where the line crosses C: at C's radius (barrel) or C's z (disk).
      const rC = C.barrel ? C.meanR : ra + ((C.meanZ - za) * dr) / dzAB;
      if (!(rC > rb)) continue;
      // The circle through the origin, a and b (centre solves 2·u·x + 2·v·y = x² + y² for both hits) predicts
      // the azimuth there: only hits near it are tried.
      const xa = hits.x[a], ya = hits.y[a], xb = hits.x[b], yb = hits.y[b];
      const det = 2 * (xa * yb - xb * ya);
      let phiC: number;
      let dPhiC = C_WINDOW_MM / rC;
      if (displaced) {
        // The straight line from a through b, continued to distance rC from the origin; a circle of radius ≥ rMin
        // through a and b bends away from it by at most L_ab·L_bc / 2rMin there.
        const lab = Math.sqrt((xb - xa) * (xb - xa) + (yb - ya) * (yb - ya));
        if (!(lab > 0)) continue;
        // The chord's distance from the beam axis: at most d0 plus how far a circle of radius ≥ rMin bends away from
        // it between the axis and the hits (most pairs in the wide azimuth window fail here, before any C query).
        if (Math.abs(xa * yb - xb * ya) / lab > config.displacedMaxD0Mm + (ra * rb) / (2 * rMin)) continue;
        const ex = (xb - xa) / lab;
        const ey = (yb - ya) / lab;
        const bu = xb * ex + yb * ey;
        const disc = bu * bu - rb * rb + rC * rC;
        if (!(disc >= 0)) continue;
        const t = -bu + Math.sqrt(disc);
        if (!(t > 0)) continue;
        phiC = Math.atan2(yb + t * ey, xb + t * ex);
        dPhiC = (C_WINDOW_MM + (lab + t) * t / (2 * rMin)) / rC;
      } else if (Math.abs(det) > 1e-9) {
        const qa = xa * xa + ya * ya;
        const qb = xb * xb + yb * yb;
        const u = (qa * yb - qb * ya) / det;
        const v = (qb * xa - qa * xb) / det;
        const rho = Math.sqrt(u * u + v * v);
        if (rho < rMin || rC > 2 * rho) continue;
        const sense = Math.sign(u * yb - v * xb) || 1;
        // The point at distance rC from the origin: the centre's direction turned by ∓acos(rC / 2ρ), written with
        // cos(acos x) = x and sin(acos x) = √(1 − x²) (one atan2 instead of three trigonometric calls).
        const x = rC / (2 * rho);
        const y = sense * Math.sqrt(1 - x * x);
        const ux = u / rho;
        const uy = v / rho;
        phiC = Math.atan2(uy * x + ux * y, ux * x - uy * y);
      } else {
        phiC = B.phi[kb];
        dPhiC += 0.002;
      }
      // Window along C: the line's z at C's radius (±maxDzMm, and the spread of radii within a barrel layer), or
      // its r at C's z.
      const alongC = C.barrel ? zb + ((rC - rb) * dzAB) / dr : rC;
      const spread = config.maxDzMm + (C.barrel ? (10 * Math.abs(dzAB)) / dr : 10);
      const nC = query(C, phiC, dPhiC, alongC - spread, alongC + spread, bufC);
      for (let ic = 0; ic < nC; ic++) {
        const kc = bufC[ic];
        const c = C.rows[kc];
        // Residual along C from the line through a and b.
        const res = C.barrel ? C.z[kc] - (zb + ((C.r[kc] - rb) * dzAB) / dr) : C.r[kc] - (rb + ((C.z[kc] - zb) * dr) / dzAB);
        if (Math.abs(res) > config.maxDzMm) continue;
        // Circle through the three hits: centre from the perpendicular bisectors.
        const cx = hits.x[c], cy = hits.y[c];
        const d = 2 * (xa * (yb - cy) + xb * (cy - ya) + cx * (ya - yb));
        if (Math.abs(d) < 1e-9) continue;
        const a2 = xa * xa + ya * ya, b2 = xb * xb + yb * yb, c2 = cx * cx + cy * cy;
        const ux = (a2 * (yb - cy) + b2 * (cy - ya) + c2 * (ya - yb)) / d;
        const uy = (a2 * (cx - xb) + b2 * (xa - cx) + c2 * (xb - xa)) / d;
        const radius = Math.sqrt((xa - ux) * (xa - ux) + (ya - uy) * (ya - uy));
        if (radius < rMin) continue;
        const d0 = Math.abs(Math.sqrt(ux * ux + uy * uy) - radius);
        if (displaced ? d0 <= config.maxD0Mm || d0 > config.displacedMaxD0Mm : d0 > config.maxD0Mm) continue;
        const quality = (displaced ? 0 : d0 / config.maxD0Mm) + Math.abs(res) / config.maxDzMm;
        if (topN === k && quality >= topQ[k - 1]) continue;
        let j = topN < k ? topN++ : k - 1;
        for (; j > 0 && topQ[j - 1] > quality; j--) {
          topQ[j] = topQ[j - 1];
          topA[j] = topA[j - 1];
          topC[j] = topC[j - 1];
        }
        topQ[j] = quality;
        topA[j] = a;
        topC[j] = c;
      }
    }
  }
  flush();
  return seeds.sort((s, t) => s.quality - t.quality);
}

/** Seeding layer triplets of an event: on the pixel barrel, consecutive layers (and, with `skips`, ones that skip a
 * layer); on each side's disks (ordered by |z|), the same; and from the first barrel layers to the first disks. */
export function seedingTriplets(hits: Hits, disks: boolean, skips = true): [LayerKey, LayerKey, LayerKey][] {
  const out: [LayerKey, LayerKey, LayerKey][] = [];
  const of = (ls: LayerKey[]) => {
    for (let i = 0; i + 2 < ls.length; i++) out.push([ls[i], ls[i + 1], ls[i + 2]]);
    if (skips) for (let i = 0; i + 3 < ls.length; i++) out.push([ls[i], ls[i + 1], ls[i + 3]], [ls[i], ls[i + 2], ls[i + 3]]);
  };
  // Layers present in the event, ordered outwards (by mean radius on the barrel, mean |z| on disks).
  const sum = new Map<number, [number, number]>();
  for (let r = 0; r < hits.hitId.length; r++) {
    const v = hits.volumeId[r];
    if (v !== PIXEL_BARREL && !(disks && PIXEL_VOLUMES.has(v))) continue;
    const k = v * 256 + hits.layerId[r];
    const pos = v === PIXEL_BARREL ? Math.sqrt(hits.x[r] * hits.x[r] + hits.y[r] * hits.y[r]) : Math.abs(hits.z[r]);
    const acc = sum.get(k) ?? [0, 0];
    acc[0] += pos;
    acc[1]++;
    sum.set(k, acc);
  }
  const ordered = (v: number) => [...sum].filter(([k]) => k >> 8 === v).sort((p, q) => p[1][0] / p[1][1] - q[1][0] / q[1][1]).map(([k]) => [k >> 8, k & 255] as const);
  const barrel = ordered(PIXEL_BARREL);
  of(barrel);
  if (!disks) return out;
  for (const v of [...PIXEL_VOLUMES].filter((x) => x !== PIXEL_BARREL)) {
    const d = ordered(v);
    of(d);
    // Barrel to disks (|η| ≈ 1.8–2.5): the first barrel layers, then the first disks.
    if (barrel.length >= 2 && d.length >= 2) out.push([barrel[0], barrel[1], d[0]], [barrel[0], d[0], d[1]], [barrel[1], d[0], d[1]], [barrel[0], barrel[1], d[1]]);
  }
  return out;
}

/** Seeds by the length of their last walk, longest first, ties to the better seed (lower index): a binary max-heap on
 * typed arrays. */
class SeedQueue {
  private readonly seed: Int32Array;
  private readonly len: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.seed = new Int32Array(capacity);
    this.len = new Int32Array(capacity);
  }
  /** Heap slot a goes before slot b. */
  private before(a: number, b: number): boolean {
    return this.len[a] > this.len[b] || (this.len[a] === this.len[b] && this.seed[a] < this.seed[b]);
  }
  private swap(a: number, b: number): void {
    const s = this.seed[a], l = this.len[a];
    this.seed[a] = this.seed[b];
    this.len[a] = this.len[b];
    this.seed[b] = s;
    this.len[b] = l;
  }
  push(seed: number, length: number): void {
    let k = this.size++;
    this.seed[k] = seed;
    this.len[k] = length;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(k, parent)) break;
      this.swap(k, parent);
      k = parent;
    }
  }
  topLength(): number {
    return this.len[0];
  }
  pop(): number {
    const top = this.seed[0];
    this.size--;
    if (this.size > 0) {
      this.seed[0] = this.seed[this.size];
      this.len[0] = this.len[this.size];
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        let m = k;
        if (l < this.size && this.before(l, m)) m = l;
        if (l + 1 < this.size && this.before(l + 1, m)) m = l + 1;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
}

/** Returns new track ids: seeds of free hits followed into new tracks (see the file comment). */
export function seedAndFollow(hits: Hits, trackId: BigInt64Array, config: SeedConfig, extend: ExtendConfig): BigInt64Array {
  const out = trackId.slice();
  if (!config.enabled) return out;
  const n = hits.hitId.length;
  const t = trackGroups(trackId);
  const free = (r: number) => t.size[t.groupOfRow[r]] <= config.freeTrackHits;
  const layers = buildLayers(hits, free, ALL_VOLUMES, (vol) =>
    PIXEL_VOLUMES.has(vol) ? { acrossMm: config.pixelAcrossMm, alongMm: config.pixelAlongMm } : stripWindows(vol, extend),
  );
  const claimed = new Uint8Array(n);
  for (let r = 0; r < n; r++) if (!free(r)) claimed[r] = 1;
  let nextId = 0n;
  for (const t of trackId) if (t > nextId) nextId = t;
  const track: number[] = [];
  /** Follows `seed` into `track` (its rows claimed); false when a seed hit is already taken. */
  const follow = (seed: Seed, general: boolean): boolean => {
    const [a, b, c] = seed.rows;
    track.length = 0;
    if (claimed[a] || claimed[b] || claimed[c]) return false;
    claimed[a] = claimed[b] = claimed[c] = 1;
    // The seed's hits by distance from the origin (no sort callback, no temporary arrays).
    track.push(a);
    insertByDistance(hits, track, b);
    insertByDistance(hits, track, c);
    for (const row of followHelix(hits, track, layers, claimed, extend.lookaheadCandidates, config.maxMisses, general)) track.push(row);
    return true;
  };
  const keep = () => {
    nextId++;
    for (const r of track) out[r] = nextId;
  };
  const release = () => {
    for (const r of track) claimed[r] = 0;
  };
  /** The walk in `track` is long enough for a track: minHits, or pixelMinHits when all its hits are pixel hits. */
  const longEnough = (minHits: number, pixelMinHits: number) => {
    if (track.length >= minHits) return true;
    if (track.length < pixelMinHits) return false;
    for (const r of track) if (!PIXEL_VOLUMES.has(hits.volumeId[r])) return false;
    return true;
  };
  // Phase 1, best seeds first: a walk of at least longFirstHits hits becomes a track at once; a shorter one gives its
  // hits back and is queued with its length. Phase 2, longest known walk first: the seed is followed again against
  // the hits taken since and kept when it is still at least as long as the next queued walk (walks only get shorter as
  // hits are taken), else queued again with its new length. So a short track from a seed with one wrong hit cannot
  // take hits a longer track needs, whatever the seeds' order.
  const select = (seeds: Seed[], general: boolean, minHits: number, pixelMinHits = minHits) => {
    const queue = new SeedQueue(seeds.length);
    for (let i = 0; i < seeds.length; i++) {
      if (!follow(seeds[i], general)) continue;
      if (track.length >= config.longFirstHits) keep();
      else {
        release();
        if (longEnough(minHits, pixelMinHits)) queue.push(i, track.length);
      }
    }
    while (queue.size > 0) {
      const i = queue.pop();
      if (!follow(seeds[i], general)) continue;
      const enough = longEnough(minHits, pixelMinHits);
      if (enough && (queue.size === 0 || track.length >= queue.topLength())) keep();
      else {
        release();
        if (enough) queue.push(i, track.length);
      }
    }
  };
  /** Seeds of free hits on every layer triplet, best first. */
  const seedsOf = (isFree: (row: number) => boolean, skips: boolean, displaced: boolean): Seed[] => {
    const binned = pixelLayers(hits, isFree);
    return seedingTriplets(hits, config.disks, skips).flatMap((t) => findSeeds(hits, isFree, config, t, binned, displaced)).sort((s, t) => s.quality - t.quality);
  };
  // Prompt particles, then secondaries from the hits left (consecutive layers only: triplets that skip a layer added
  // +0.0003 in score for ~0.1 s more per event).
  select(seedsOf(free, config.skipLayerTriplets, false), false, config.minHits, config.pixelOnlyMinHits);
  if (config.displacedMaxD0Mm > config.maxD0Mm) select(seedsOf((r) => !claimed[r], false, true), true, config.displacedMinHits);
  return out;
}
