// Realism figures of one event, simulated or real: hit and particle counts, per-volume shares, noise share,
// pT/η spectra, hits per particle, duplicate hits on a layer, hit residuals and spacing, material effects
// between hits, cluster sizes.
// Used by the simulator benchmark and tests on both simulated and real events.
import type { TrackmlEvent } from '../trackml/types.ts';

export interface EventStats {
  nHits: number;
  nParticles: number;
  /** Share of hits whose truth particle is 0. */
  noiseFraction: number;
  /** Share of all hits in each volume (keys: volume id). */
  volumeShare: Record<number, number>;
  /** Share of the noise hits in each volume. */
  noiseVolumeShare: Record<number, number>;
  /** Over all particles of the particles file (including those without hits). */
  zeroHitFraction: number;
  atLeast4HitsFraction: number;
  meanHitsPerParticle: number;
  meanHitsPerParticleWithHits: number;
  /** Share of particles with generation > 0 in their id. */
  secondaryFraction: number;
  ptMedianGeV: number;
  ptAbove1GeVFraction: number;
  absEtaMedian: number;
  /** Among particles with ≥ 2 hits: share with two or more hits on one (volume, layer). */
  duplicateLayerFraction: number;
  /** Per volume: median transverse and |Δz| distance between measured hit and true position, mm. */
  residualMedianMm: Record<number, { transverse: number; dz: number }>;
  /** Median 3D distance between consecutive hits of a particle (ordered by |tz − vz|), mm. */
  consecutiveHitDistanceMedianMm: number;
  /** Between consecutive hits of a particle with 0.5 < p < 5 GeV (truth momenta): median momentum lost, MeV
   * (measures the material per layer), and median |change of dip angle| × p in mrad·GeV (the scattering; the
   * solenoid field keeps the dip angle constant). */
  momentumLossPerStepMedianMeV: number;
  dipAngleChangeTimesPMedian: number;
  /** Per volume: mean number of cells per hit (when cells are present). */
  cellsPerHit: Record<number, number>;
}

function median(values: number[] | Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

function shares(counts: Map<number, number>, total: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [k, c] of [...counts].sort((a, b) => a[0] - b[0])) out[k] = total > 0 ? c / total : 0;
  return out;
}

/** Requires hits, particles and truth (cells optional); truth rows must be in the same order as hits or not —
 * hits are matched by hit id. */
export function eventStatistics(event: TrackmlEvent): EventStats {
  const { hits, particles, truth, cells } = event;
  if (particles === undefined || truth === undefined) throw new Error('eventStatistics needs particles and truth');
  const nHits = hits.hitId.length;
  const rowOfHit = new Map<number, number>();
  for (let i = 0; i < nHits; i++) rowOfHit.set(hits.hitId[i], i);

  const volumeCounts = new Map<number, number>();
  const noiseCounts = new Map<number, number>();
  let noise = 0;
  const hitsOf = new Map<bigint, number[]>();
  const residualT = new Map<number, number[]>();
  const residualZ = new Map<number, number[]>();
  for (let t = 0; t < truth.hitId.length; t++) {
    const h = rowOfHit.get(truth.hitId[t]);
    if (h === undefined) continue;
    const v = hits.volumeId[h];
    volumeCounts.set(v, (volumeCounts.get(v) ?? 0) + 1);
    const pid = truth.particleId[t];
    if (pid === 0n) {
      noise++;
      noiseCounts.set(v, (noiseCounts.get(v) ?? 0) + 1);
      continue;
    }
    let list = hitsOf.get(pid);
    if (list === undefined) hitsOf.set(pid, (list = []));
    list.push(t);
    let rt = residualT.get(v);
    if (rt === undefined) {
      residualT.set(v, (rt = []));
      residualZ.set(v, []);
    }
    rt.push(Math.hypot(hits.x[h] - truth.tx[t], hits.y[h] - truth.ty[t]));
    residualZ.get(v)!.push(Math.abs(hits.z[h] - truth.tz[t]));
  }

  const nParticles = particles.particleId.length;
  let zero = 0;
  let atLeast4 = 0;
  let hitSum = 0;
  let secondaries = 0;
  let withTwo = 0;
  let duplicates = 0;
  const pts = new Float64Array(nParticles);
  const etas = new Float64Array(nParticles);
  let above1 = 0;
  const spacing: number[] = [];
  const momentumLoss: number[] = [];
  const dipChange: number[] = [];
  for (let p = 0; p < nParticles; p++) {
    const pt = Math.hypot(particles.px[p], particles.py[p]);
    pts[p] = pt;
    if (pt > 1) above1++;
    etas[p] = Math.abs(Math.asinh(particles.pz[p] / pt));
    if (((particles.particleId[p] >> 24n) & 0xfffn) !== 0n) secondaries++;
    const rows = hitsOf.get(particles.particleId[p]) ?? [];
    const n = rows.length;
    if (n === 0) zero++;
    if (n >= 4) atLeast4++;
    hitSum += n;
    if (n >= 2) {
      withTwo++;
      const layers = new Set<number>();
      let dup = false;
      for (const t of rows) {
        const h = rowOfHit.get(truth.hitId[t])!;
        const key = hits.volumeId[h] * 256 + hits.layerId[h];
        if (layers.has(key)) dup = true;
        layers.add(key);
      }
      if (dup) duplicates++;
      const vz = particles.vz[p];
      const sorted = [...rows].sort((a, b) => Math.abs(truth.tz[a] - vz) - Math.abs(truth.tz[b] - vz));
      for (let k = 1; k < sorted.length; k++) {
        const a = sorted[k - 1];
        const b = sorted[k];
        spacing.push(Math.hypot(truth.tx[b] - truth.tx[a], truth.ty[b] - truth.ty[a], truth.tz[b] - truth.tz[a]));
        const ptA = Math.hypot(truth.tpx[a], truth.tpy[a]);
        const pA = Math.hypot(ptA, truth.tpz[a]);
        if (pA > 0.5 && pA < 5) {
          const ptB = Math.hypot(truth.tpx[b], truth.tpy[b]);
          momentumLoss.push((pA - Math.hypot(ptB, truth.tpz[b])) * 1000);
          dipChange.push(Math.abs(Math.atan2(truth.tpz[b], ptB) - Math.atan2(truth.tpz[a], ptA)) * pA * 1000);
        }
      }
    }
  }

  const residualMedianMm: Record<number, { transverse: number; dz: number }> = {};
  for (const v of [...residualT.keys()].sort((a, b) => a - b)) {
    residualMedianMm[v] = { transverse: median(residualT.get(v)!), dz: median(residualZ.get(v)!) };
  }
  const cellsPerHit: Record<number, number> = {};
  if (cells !== undefined) {
    const cellCount = new Map<number, number>();
    for (let c = 0; c < cells.hitId.length; c++) {
      const h = rowOfHit.get(cells.hitId[c]);
      if (h === undefined) continue;
      const v = hits.volumeId[h];
      cellCount.set(v, (cellCount.get(v) ?? 0) + 1);
    }
    for (const [v, c] of [...cellCount].sort((a, b) => a[0] - b[0])) cellsPerHit[v] = c / (volumeCounts.get(v) ?? 1);
  }
  return {
    nHits,
    nParticles,
    noiseFraction: nHits > 0 ? noise / nHits : 0,
    volumeShare: shares(volumeCounts, nHits),
    noiseVolumeShare: shares(noiseCounts, noise),
    zeroHitFraction: zero / nParticles,
    atLeast4HitsFraction: atLeast4 / nParticles,
    meanHitsPerParticle: hitSum / nParticles,
    meanHitsPerParticleWithHits: hitSum / Math.max(1, nParticles - zero),
    secondaryFraction: secondaries / nParticles,
    ptMedianGeV: median(pts),
    ptAbove1GeVFraction: above1 / nParticles,
    absEtaMedian: median(etas),
    duplicateLayerFraction: withTwo > 0 ? duplicates / withTwo : 0,
    residualMedianMm,
    consecutiveHitDistanceMedianMm: median(spacing),
    momentumLossPerStepMedianMeV: median(momentumLoss),
    dipAngleChangeTimesPMedian: median(dipChange),
    cellsPerHit,
  };
}
