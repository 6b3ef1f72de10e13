// Noise hits: single fired channels on random modules, spread over the volumes like the noise of the real
// sample event (most in the strip barrels 13 and 17), uniform over the modules of a volume.
import type { DetectorIndex } from '../geometry/index.ts';
import { channelCounts, clipToBounds, PIXEL_CHARGE_PER_MM } from './digitize.ts';
import type { HitBuffer } from './hit-buffer.ts';
import type { Rng } from './rng.ts';

/** Share of noise hits per volume in the real sample event (829 noise hits). */
export const NOISE_VOLUME_SHARE: Readonly<Record<number, number>> = {
  7: 0.045, 8: 0.099, 9: 0.04, 12: 0.065, 13: 0.297, 14: 0.059, 16: 0.029, 17: 0.321, 18: 0.046,
};

/** Truth momentum magnitude the real files give noise hits (a random direction times 10^6 GeV). */
const NOISE_TRUTH_MOMENTUM = 1e6;

/** Appends `count` noise hits (particle −1) to `hits`. */
export function addNoiseHits(det: DetectorIndex, count: number, rng: Rng, hits: HitBuffer): void {
  // Modules per volume present in this detector; volumes missing from the table share nothing.
  const byVolume = new Map<number, number[]>();
  for (let m = 0; m < det.moduleCount; m++) {
    const v = det.volumeId[m];
    if (NOISE_VOLUME_SHARE[v] === undefined) continue;
    let list = byVolume.get(v);
    if (list === undefined) byVolume.set(v, (list = []));
    list.push(m);
  }
  const volumes = [...byVolume.keys()].sort((a, b) => a - b);
  if (volumes.length === 0) return;
  const uv = new Float64Array(2);
  const cumulative: number[] = [];
  let sum = 0;
  for (const v of volumes) cumulative.push((sum += NOISE_VOLUME_SHARE[v]));
  for (let i = 0; i < count; i++) {
    const x = rng.uniform() * sum;
    let k = 0;
    while (k < volumes.length - 1 && x >= cumulative[k]) k++;
    const modules = byVolume.get(volumes[k])!;
    const m = modules[rng.int(modules.length)];
    // Uniform point inside the trapezoid by rejection from its bounding rectangle.
    let u = 0;
    let v = 0;
    for (let tries = 0; tries < 20; tries++) {
      u = (2 * rng.uniform() - 1) * det.maxHalfUMm[m];
      v = (2 * rng.uniform() - 1) * det.halfVMm[m];
      if (det.inBounds(m, u, v)) break;
    }
    const [nU, nV] = channelCounts(det, m);
    const iu = Math.min(nU - 1, Math.floor((u + det.maxHalfUMm[m]) / det.pitchUMm[m]));
    const iv = Math.min(nV - 1, Math.floor((v + det.halfVMm[m]) / det.pitchVMm[m]));
    const h = hits.addHit();
    hits.module[h] = m;
    hits.particle[h] = -1;
    const pixel = det.volumeId[m] < 10;
    hits.addCell(iu, iv, pixel ? PIXEL_CHARGE_PER_MM * det.thicknessMm[m] * rng.uniform() : 1);
    clipToBounds(det, m, (iu + 0.5) * det.pitchUMm[m] - det.maxHalfUMm[m], (iv + 0.5) * det.pitchVMm[m] - det.halfVMm[m], uv);
    const mu = uv[0];
    const mv = uv[1];
    const c = 3 * m;
    const a = 9 * m;
    const ax = det.axes;
    hits.x[h] = det.centre[c] + mu * ax[a] + mv * ax[a + 3];
    hits.y[h] = det.centre[c + 1] + mu * ax[a + 1] + mv * ax[a + 4];
    hits.z[h] = det.centre[c + 2] + mu * ax[a + 2] + mv * ax[a + 5];
    hits.tx[h] = det.centre[c] + u * ax[a] + v * ax[a + 3];
    hits.ty[h] = det.centre[c + 1] + u * ax[a + 1] + v * ax[a + 4];
    hits.tz[h] = det.centre[c + 2] + u * ax[a + 2] + v * ax[a + 5];
    // Real files give noise a meaningless huge momentum; mimic it so downstream code meets the same thing.
    const cosT = 2 * rng.uniform() - 1;
    const sinT = Math.sqrt(1 - cosT * cosT);
    const phi = 2 * Math.PI * rng.uniform();
    hits.tpx[h] = NOISE_TRUTH_MOMENTUM * sinT * Math.cos(phi);
    hits.tpy[h] = NOISE_TRUTH_MOMENTUM * sinT * Math.sin(phi);
    hits.tpz[h] = NOISE_TRUTH_MOMENTUM * cosT;
  }
}
