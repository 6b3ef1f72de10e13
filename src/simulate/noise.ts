// Noise hits: clusters on random modules, spread over the volumes like the noise of the real sample event
// (most in the strip barrels 13 and 17), uniform over the modules of a volume (the sample's noise per layer
// follows the module count). Real noise clusters look like
// particle clusters (same sizes as signal), so each is digitised from a soft track coming roughly from the
// beam line through a uniform point of the module.
import type { DetectorIndex } from '../geometry/index.ts';
import type { SimulateConfig } from './config.ts';
import { digitizeCrossing } from './digitize.ts';
import type { HitBuffer } from './hit-buffer.ts';
import type { Rng } from './rng.ts';

/** Share of noise hits per volume in the real sample event (829 noise hits), with each −z/+z endcap pair
 * averaged (the detector is symmetric; the sample's 24 vs 38 noise hits in 16 vs 18 are a fluctuation). */
export const NOISE_VOLUME_SHARE: Readonly<Record<number, number>> = {
  7: 0.0425,
  8: 0.099,
  9: 0.0425,
  12: 0.062,
  13: 0.297,
  14: 0.062,
  16: 0.0375,
  17: 0.321,
  18: 0.0375,
};

/** Truth momentum magnitude the real files give noise hits (a random direction times 10^6 GeV). */
const NOISE_TRUTH_MOMENTUM = 1e6;

/** Appends `count` noise hits (particle −1) to `hits`. */
export function addNoiseHits(det: DetectorIndex, count: number, config: SimulateConfig, rng: Rng, hits: HitBuffer): void {
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
    const c = 3 * m;
    const a = 9 * m;
    const ax = det.axes;
    const tx = det.centre[c] + u * ax[a] + v * ax[a + 3];
    const ty = det.centre[c + 1] + u * ax[a + 1] + v * ax[a + 4];
    const tz = det.centre[c + 2] + u * ax[a + 2] + v * ax[a + 5];
    // Direction: from a beam-line point, smeared by a soft particle's bending and scattering.
    let dx = tx + 0.3 * rng.gauss() * Math.hypot(tx, ty);
    let dy = ty + 0.3 * rng.gauss() * Math.hypot(tx, ty);
    let dz = tz - config.beamSigmaZMm * rng.gauss();
    const len = Math.hypot(dx, dy, dz);
    dx /= len;
    dy /= len;
    dz /= len;
    const du = dx * ax[a] + dy * ax[a + 1] + dz * ax[a + 2];
    const dv = dx * ax[a + 3] + dy * ax[a + 4] + dz * ax[a + 5];
    const dw = dx * ax[a + 6] + dy * ax[a + 7] + dz * ax[a + 8];
    const h = hits.addHit();
    hits.module[h] = m;
    hits.particle[h] = -1;
    const volume = det.volumeId[m];
    const pixel = volume < 10;
    const sharing = config.chargeSharingMm[volume] ?? 0;
    const barrel = Math.abs(ax[a + 8]) < 0.5;
    digitizeCrossing(
      det,
      m,
      u,
      v,
      du,
      dv,
      dw,
      pixel,
      sharing,
      config.chargeSharingVMm[volume] ?? 0,
      rng,
      hits,
      uv,
      pixel && barrel ? config.pixelLorentzTan : 0,
    );
    const mu = uv[0];
    const mv = uv[1];
    hits.x[h] = det.centre[c] + mu * ax[a] + mv * ax[a + 3];
    hits.y[h] = det.centre[c + 1] + mu * ax[a + 1] + mv * ax[a + 4];
    hits.z[h] = det.centre[c + 2] + mu * ax[a + 2] + mv * ax[a + 5];
    hits.tx[h] = tx;
    hits.ty[h] = ty;
    hits.tz[h] = tz;
    // Real files give noise a meaningless huge momentum; mimic it so downstream code meets the same thing.
    const cosT = 2 * rng.uniform() - 1;
    const sinT = Math.sqrt(1 - cosT * cosT);
    const phi = 2 * Math.PI * rng.uniform();
    hits.tpx[h] = NOISE_TRUTH_MOMENTUM * sinT * Math.cos(phi);
    hits.tpy[h] = NOISE_TRUTH_MOMENTUM * sinT * Math.sin(phi);
    hits.tpz[h] = NOISE_TRUTH_MOMENTUM * cosT;
  }
}
