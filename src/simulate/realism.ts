// Realism figures of one event, real or simulated, for the side-by-side report (bench/realism.bench.ts): hits per
// layer and per module, particle spectra, and — with truth — noise and cluster sizes by volume, the score weight of
// displaced particles, hit residuals and the field the particles saw. Every figure comes with a statistical range
// (about ±2σ) so that one real event can say whether a simulated value is compatible with it.
import type { DetectorIndex } from '../geometry/index.ts';
import type { Hits, Particles } from '../trackml/types.ts';
import { ptWeight } from './weights.ts';

/** A figure of one event and its ~95 % statistical range. */
export interface Figure {
  value: number;
  lo: number;
  hi: number;
}

export type Figures = Record<string, Figure>;

const exact = (value: number): Figure => ({ value, lo: value, hi: value });

/** Poisson count: n ± 2√n. */
const count = (n: number): Figure => ({ value: n, lo: n - 2 * Math.sqrt(n), hi: n + 2 * Math.sqrt(n) });

/** Share k / n ± 2 binomial σ. */
function share(k: number, n: number): Figure {
  const p = n > 0 ? k / n : 0;
  const s = n > 0 ? 2 * Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) : 0;
  return { value: p, lo: p - s, hi: p + s };
}

/** Mean ± 2 standard errors. */
function mean(values: ArrayLike<number>): Figure {
  const n = values.length;
  if (n === 0) return exact(Number.NaN);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    s += values[i];
    s2 += values[i] * values[i];
  }
  const m = s / n;
  const se = n > 1 ? Math.sqrt(Math.max(0, s2 / n - m * m) / (n - 1)) : 0;
  return { value: m, lo: m - 2 * se, hi: m + 2 * se };
}

/** Quantile q of `sorted` with the order-statistic range: ranks q·n ± 2·√(n·q·(1 − q)). */
function quantile(sorted: ArrayLike<number>, q: number): Figure {
  const n = sorted.length;
  if (n === 0) return exact(Number.NaN);
  const at = (rank: number) => sorted[Math.min(n - 1, Math.max(0, Math.floor(rank)))];
  const d = 2 * Math.sqrt(n * q * (1 - q));
  return { value: at(q * n), lo: at(q * n - d), hi: at(q * n + d) };
}

const sortedOf = (values: number[]): Float64Array => Float64Array.from(values).sort();

const isSecondary = (id: bigint): boolean => ((id >> 24n) & 0xfffn) !== 0n;
/** Generation-0 particles born this far or farther from the beam axis count as displaced (decay daughters). */
export const DISPLACED_MIN_R_MM = 2;

/** Detector regions where secondaries are made (material), by the production vertex's r and |z| in mm. */
export function materialRegion(rMm: number, absZMm: number): string {
  if (rMm < 25) return 'beamPipe';
  if (rMm < 190) return absZMm < 550 ? 'pixelBarrel' : 'pixelEndcap';
  if (rMm < 240) return 'supportTube';
  if (rMm < 700) return absZMm < 1150 ? 'shortStripBarrel' : 'shortStripEndcap';
  return absZMm < 1150 ? 'longStripBarrel' : 'longStripEndcap';
}

/** Hits per (volume, layer) and per volume. Keys `hits.layer.V:L`, `hits.volume.V`, `hits.total`. */
export function hitFigures(hits: Hits): Figures {
  const layers = new Map<string, number>();
  const volumes = new Map<number, number>();
  for (let i = 0; i < hits.hitId.length; i++) {
    const k = `${hits.volumeId[i]}:${hits.layerId[i]}`;
    layers.set(k, (layers.get(k) ?? 0) + 1);
    volumes.set(hits.volumeId[i], (volumes.get(hits.volumeId[i]) ?? 0) + 1);
  }
  const out: Figures = { 'hits.total': count(hits.hitId.length) };
  for (const [v, n] of [...volumes].sort((a, b) => a[0] - b[0])) out[`hits.volume.${v}`] = count(n);
  for (const [k, n] of [...layers].sort()) out[`hits.layer.${k}`] = count(n);
  return out;
}

/** Hits per module by volume, over all the volume's modules (empty ones included): mean, p50, p90, p99, max and the
 * share of empty modules. Keys `modules.V.mean` etc. */
export function moduleFigures(hits: Hits, det: DetectorIndex): Figures {
  const perModule = new Uint32Array(det.moduleCount);
  for (let i = 0; i < hits.hitId.length; i++) {
    const m = det.moduleIndexOf(hits.volumeId[i], hits.layerId[i], hits.moduleId[i]);
    if (m >= 0) perModule[m]++;
  }
  const byVolume = new Map<number, number[]>();
  for (let m = 0; m < det.moduleCount; m++) {
    let list = byVolume.get(det.volumeId[m]);
    if (list === undefined) byVolume.set(det.volumeId[m], (list = []));
    list.push(perModule[m]);
  }
  const out: Figures = {};
  for (const [v, list] of [...byVolume].sort((a, b) => a[0] - b[0])) {
    const s = sortedOf(list);
    out[`modules.${v}.mean`] = mean(s);
    out[`modules.${v}.p50`] = quantile(s, 0.5);
    out[`modules.${v}.p90`] = quantile(s, 0.9);
    out[`modules.${v}.p99`] = quantile(s, 0.99);
    out[`modules.${v}.max`] = exact(s[s.length - 1]);
    out[`modules.${v}.empty`] = share(list.filter((n) => n === 0).length, list.length);
  }
  return out;
}

const PT_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
const ETA_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9];
/** nhits bins: [lo, hi). */
const NHITS_BINS: readonly [number, number][] = [
  [0, 1],
  [1, 4],
  [4, 7],
  [7, 10],
  [10, 13],
  [13, 1000],
];

/**
 * From a particles file (with nhits): counts of prompt primaries, displaced generation-0 particles (decay
 * daughters) and secondaries; pT and |η| quantiles; the nhits distribution; the share of hits each kind leaves; and
 * the beam spot's length (σ of the interaction vertices' z).
 */
export function particleFigures(p: Particles): Figures {
  const n = p.particleId.length;
  let prompt = 0;
  let displaced = 0;
  let displacedFar = 0;
  let secondaries = 0;
  let hitsAll = 0;
  let hitsDisplaced = 0;
  let hitsSecondary = 0;
  // Score weight from the particles file alone (each particle with ≥ 4 hits weighs its pT weight; weights.ts).
  let weightPrimary = 0;
  let weightFar = 0;
  const pts: number[] = [];
  const etas: number[] = [];
  const displacedPts: number[] = [];
  const nhitsBins = new Array<number>(NHITS_BINS.length).fill(0);
  // Vertex z per interaction (vertex id): the most common production point of its particles.
  const vertexZ = new Map<bigint, Map<number, number>>();
  // Secondaries' production points (one per material interaction) by region.
  const interactions = new Map<string, Set<string>>();
  for (let i = 0; i < n; i++) {
    const pt = Math.hypot(p.px[i], p.py[i]);
    pts.push(pt);
    etas.push(Math.abs(Math.asinh(p.pz[i] / pt)));
    const nh = p.nhits?.[i] ?? 0;
    hitsAll += nh;
    for (let b = 0; b < NHITS_BINS.length; b++) if (nh >= NHITS_BINS[b][0] && nh < NHITS_BINS[b][1]) nhitsBins[b]++;
    const r = Math.hypot(p.vx[i], p.vy[i]);
    if (isSecondary(p.particleId[i])) {
      secondaries++;
      hitsSecondary += nh;
      const region = materialRegion(r, Math.abs(p.vz[i]));
      let set = interactions.get(region);
      if (set === undefined) interactions.set(region, (set = new Set()));
      set.add(`${p.vx[i]}|${p.vy[i]}|${p.vz[i]}`);
      continue;
    }
    const w = nh >= 4 ? ptWeight(pt) : 0;
    weightPrimary += w;
    if (r >= DISPLACED_MIN_R_MM) {
      displaced++;
      if (r >= 30) {
        displacedFar++;
        weightFar += w;
      }
      hitsDisplaced += nh;
      displacedPts.push(pt);
    } else {
      prompt++;
      const v = p.particleId[i] >> 52n;
      let zs = vertexZ.get(v);
      if (zs === undefined) vertexZ.set(v, (zs = new Map()));
      zs.set(p.vz[i], (zs.get(p.vz[i]) ?? 0) + 1);
    }
  }
  const out: Figures = {
    'particles.all': count(n),
    'particles.prompt': count(prompt),
    'particles.displaced': count(displaced),
    'particles.displacedBeyond30mm': count(displacedFar),
    'particles.secondaries': count(secondaries),
    'particles.meanHits': exact(hitsAll / Math.max(1, n)),
    'particles.hitShare.displaced': share(hitsDisplaced, hitsAll),
    'particles.hitShare.secondaries': share(hitsSecondary, hitsAll),
    'particles.weightShare.displacedBeyond30mm': exact(weightPrimary > 0 ? weightFar / weightPrimary : 0),
  };
  for (const region of [
    'beamPipe',
    'pixelBarrel',
    'pixelEndcap',
    'supportTube',
    'shortStripBarrel',
    'shortStripEndcap',
    'longStripBarrel',
    'longStripEndcap',
  ]) {
    out[`interactions.${region}`] = count(interactions.get(region)?.size ?? 0);
  }
  const sPt = sortedOf(pts);
  const sEta = sortedOf(etas);
  for (const q of PT_QUANTILES) out[`particles.pt.q${q * 100}`] = quantile(sPt, q);
  for (const q of ETA_QUANTILES) out[`particles.absEta.q${q * 100}`] = quantile(sEta, q);
  const sDisp = sortedOf(displacedPts);
  for (const q of [0.5, 0.9]) out[`particles.displacedPt.q${q * 100}`] = quantile(sDisp, q);
  NHITS_BINS.forEach(([lo, hi], b) => (out[`particles.nhits.${lo}-${hi >= 1000 ? '' : hi - 1}`] = share(nhitsBins[b], n)));
  const zs: number[] = [];
  for (const m of vertexZ.values()) {
    let best = 0;
    let bestZ = 0;
    for (const [z, c] of m) if (c > best) [best, bestZ] = [c, z];
    if (best >= 2) zs.push(bestZ);
  }
  const mz = mean(zs);
  const sd = Math.sqrt(zs.reduce((a, z) => a + (z - mz.value) ** 2, 0) / Math.max(1, zs.length));
  out['beamSpot.sigmaZMm'] = {
    value: sd,
    lo: sd * (1 - 2 / Math.sqrt(2 * Math.max(1, zs.length))),
    hi: sd * (1 + 2 / Math.sqrt(2 * Math.max(1, zs.length))),
  };
  return out;
}
