// The official TrackML truth weights: per hit, an order weight from the hit's rank along its particle (by
// distance |tz − vz| from the vertex, interpolated on a 9-point curve, normalised over the particle's hits)
// times a pT weight; noise, secondaries (generation > 0) and particles with < 4 hits weigh 0; event sum 1.
import type { Particles, Truth } from '../trackml/types.ts';

/** Order weights at 9 equally spaced positions along a track (first hit … last hit). */
export const ORDER_WEIGHTS = [10, 8, 6, 5, 3, 3, 3, 5, 6] as const;

/** Weight of hit `i` of `n` (0-based, ordered away from the vertex): linear interpolation on ORDER_WEIGHTS. */
export function orderWeight(i: number, n: number): number {
  if (n < 2) return ORDER_WEIGHTS[0];
  const x = (i * (ORDER_WEIGHTS.length - 1)) / (n - 1);
  const k = Math.min(ORDER_WEIGHTS.length - 2, Math.floor(x));
  const f = x - k;
  return ORDER_WEIGHTS[k] * (1 - f) + ORDER_WEIGHTS[k + 1] * f;
}

/** Generation bits 24–35 of the TrackML particle id are non-zero for secondaries. */
export function isSecondary(particleId: bigint): boolean {
  return ((particleId >> 24n) & 0xfffn) !== 0n;
}

/** 0.2 below 0.5 GeV, rising linearly to 1 at 3 GeV, 1 above. */
export function ptWeight(ptGeV: number): number {
  if (ptGeV <= 0.5) return 0.2;
  if (ptGeV >= 3) return 1;
  return 0.2 + (0.8 * (ptGeV - 0.5)) / 2.5;
}

/**
 * Official weights for every truth row (same order as `truth`), normalised to sum 1 over the event. A particle
 * id in truth that is missing from `particles` counts as weight 0 (like noise). Secondaries weigh 0: the brief
 * did not say so, but the real sample's official weights do (all 41 secondaries with ≥ 4 hits have weight 0,
 * every primary with ≥ 4 hits has weight > 0, displaced primaries included).
 */
export function computeTruthWeights(truth: Truth, particles: Particles): Float64Array {
  const n = truth.hitId.length;
  const rowOfParticle = new Map<bigint, number>();
  for (let i = 0; i < particles.particleId.length; i++) rowOfParticle.set(particles.particleId[i], i);
  // Group hit rows per particle row.
  const particleRow = new Int32Array(n).fill(-1);
  const count = new Int32Array(particles.particleId.length);
  for (let h = 0; h < n; h++) {
    const id = truth.particleId[h];
    if (id === 0n) continue;
    const p = rowOfParticle.get(id);
    if (p === undefined) continue;
    particleRow[h] = p;
    count[p]++;
  }
  const start = new Int32Array(count.length + 1);
  for (let p = 0; p < count.length; p++) start[p + 1] = start[p] + count[p];
  const members = new Int32Array(start[count.length]);
  const fill = start.slice(0, count.length);
  for (let h = 0; h < n; h++) if (particleRow[h] >= 0) members[fill[particleRow[h]]++] = h;

  const weights = new Float64Array(n);
  let total = 0;
  const key = new Float64Array(64);
  for (let p = 0; p < count.length; p++) {
    const nh = count[p];
    if (nh < 4 || isSecondary(particles.particleId[p])) continue;
    const vz = particles.vz[p];
    const wPt = ptWeight(Math.hypot(particles.px[p], particles.py[p]));
    const rows = Array.from(members.subarray(start[p], start[p + 1]));
    const dist = nh <= key.length ? key : new Float64Array(nh);
    rows.forEach((h, k) => (dist[k] = Math.abs(truth.tz[h] - vz)));
    const order = rows.map((_, k) => k).sort((a, b) => dist[a] - dist[b]);
    // The order weights are normalised within the particle, so every particle weighs its pT weight in
    // total whatever its hit count (what the real sample's weights show; the brief's description left it out).
    let orderSum = 0;
    for (let k = 0; k < nh; k++) orderSum += orderWeight(k, nh);
    for (let k = 0; k < nh; k++) {
      const w = (orderWeight(k, nh) / orderSum) * wPt;
      weights[rows[order[k]]] = w;
      total += w;
    }
  }
  if (total > 0) for (let h = 0; h < n; h++) weights[h] /= total;
  return weights;
}
