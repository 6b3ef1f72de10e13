// Primary particles of one event: MU pile-up interactions (fixed or Poisson) on a Gaussian beam spot, each with a
// negative-binomial number of charged particles drawn from pT, |η| and species spectra shaped after real
// TrackML events (pT > 100 MeV, |η| < 4), plus an optional busier hard-scatter vertex 1, and the charged daughters
// of the V0s (K0s, Λ) each interaction makes (decays.ts).
import { encodeParticleId } from '../trackml/index.ts';
import type { SimulateConfig } from './config.ts';
import type { ParticleList } from './particle-list.ts';
import { decayV0, newV0Decay } from './decays.ts';
import type { Rng } from './rng.ts';

/** Particle species: PDG id of its positively charged member, mass in GeV, share among charged primaries. */
interface Species {
  pdgPositive: number;
  massGeV: number;
  share: number;
}

/** Species mix of charged primaries in the real sample event (430 primaries: 85 % π, 9 % K, 6 % p, rare e/μ). */
export const PRIMARY_SPECIES: readonly Species[] = [
  { pdgPositive: 211, massGeV: 0.13957, share: 0.845 },
  { pdgPositive: 321, massGeV: 0.493677, share: 0.088 },
  { pdgPositive: 2212, massGeV: 0.938272, share: 0.06 },
  { pdgPositive: -11, massGeV: 0.000511, share: 0.005 },
  { pdgPositive: -13, massGeV: 0.105658, share: 0.002 },
];

/** PDG id and charge for a species drawn with charge q (e−/μ− have positive PDG ids). */
export function pdgFor(species: Species, q: number): number {
  return q > 0 ? species.pdgPositive : -species.pdgPositive;
}

export function massOfPdg(pdg: number): number {
  switch (Math.abs(pdg)) {
    case 11:
      return 0.000511;
    case 13:
      return 0.105658;
    case 211:
      return 0.13957;
    case 321:
      return 0.493677;
    case 2212:
      return 0.938272;
    default:
      return 0.13957;
  }
}

/**
 * Inverse CDF of primary pT (GeV) and |η| at u = 0, 0.05, …: log-linear (pT) or linear (|η|) between points, a
 * power-law pT tail above the last. The points are the quantiles of the prompt primaries (vertex within 2 mm of
 * the beam axis, generation 0) in the real full events' particles files (events 1003 and 1005, 14,965 particles).
 */
const QUANTILE_U = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999];
const PT_QUANTILE_U = QUANTILE_U;
const PT_QUANTILE_GEV = [
  0.1, 0.1416, 0.1756, 0.2375, 0.2991, 0.3651, 0.4426, 0.5347, 0.652, 0.8376, 0.9756, 1.2113, 1.645, 2.3255, 3.05, 3.9, 9.12,
];
const LOG_PT_QUANTILE = PT_QUANTILE_GEV.map(Math.log);
const ETA_QUANTILE_U = [...QUANTILE_U, 1];
const ETA_QUANTILE = [
  0, 0.207, 0.4126, 0.8097, 1.1934, 1.5737, 1.9457, 2.3402, 2.7325, 3.1197, 3.3219, 3.5422, 3.7716, 3.9064, 3.9563, 3.9752, 3.9967, 4.0,
];

function interpolate(us: readonly number[], vs: readonly number[], u: number): number {
  let i = 1;
  while (i < us.length - 1 && u > us[i]) i++;
  const f = (u - us[i - 1]) / (us[i] - us[i - 1]);
  return vs[i - 1] + f * (vs[i] - vs[i - 1]);
}

/** Draws a primary pT in GeV (≥ ptMin). `hard` adds a harder component like the tt̄ vertex. */
export function samplePtGeV(rng: Rng, ptMinGeV: number, hard: boolean): number {
  const u = rng.uniform();
  let pt: number;
  if (hard && rng.uniform() < 0.15) {
    // Jet fragments: a power law above 1 GeV, dN/dpT ∝ pT^-3.
    pt = 1 / Math.sqrt(rng.uniformOpen());
  } else if (u >= PT_QUANTILE_U[PT_QUANTILE_U.length - 1]) {
    // Tail beyond the last tabulated quantile: dN/dpT ∝ pT^-4 (survival ∝ pT^-3), capped at 100 GeV.
    const last = PT_QUANTILE_GEV[PT_QUANTILE_GEV.length - 1];
    const s = (1 - u) / (1 - PT_QUANTILE_U[PT_QUANTILE_U.length - 1]);
    pt = Math.min(100, last * Math.pow(s, -1 / 3));
  } else {
    pt = Math.exp(interpolate(PT_QUANTILE_U, LOG_PT_QUANTILE, u));
  }
  return Math.max(ptMinGeV, pt);
}

export function sampleAbsEta(rng: Rng, etaMax: number): number {
  return Math.min(etaMax, interpolate(ETA_QUANTILE_U, ETA_QUANTILE, rng.uniform()));
}

function sampleSpecies(rng: Rng): Species {
  let u = rng.uniform();
  for (const s of PRIMARY_SPECIES) {
    if (u < s.share) return s;
    u -= s.share;
  }
  return PRIMARY_SPECIES[0];
}

/** One generated interaction: its vertex id and position. */
export interface Interaction {
  vertexId: number;
  xMm: number;
  yMm: number;
  zMm: number;
}

/**
 * Appends the event's primaries to `list` (vertex 1 = hard scatter when enabled, then the pile-up) and returns
 * the interactions. Particle ids: vertex id, sparse increasing primary id (generators number neutrals and
 * soft particles too, so real ids have gaps), generation 0.
 */
export function generatePrimaries(rng: Rng, config: SimulateConfig, list: ParticleList): Interaction[] {
  const nPileup = config.poissonPileup ? rng.poisson(config.pileup) : Math.round(config.pileup);
  const interactions: Interaction[] = [];
  const total = nPileup + (config.hardScatter ? 1 : 0);
  for (let k = 0; k < total && k < 4095; k++) {
    const hard = config.hardScatter && k === 0;
    const vertex: Interaction = {
      vertexId: k + 1,
      xMm: config.beamSigmaXYMm * rng.gauss(),
      yMm: config.beamSigmaXYMm * rng.gauss(),
      zMm: config.beamSigmaZMm * rng.gauss(),
    };
    interactions.push(vertex);
    const mean = hard ? config.hardScatterMeanCharged : config.meanChargedPerInteraction;
    const n = Math.min(rng.negativeBinomial(mean, hard ? 8 : config.multiplicityShapeK), 16000);
    let primaryId = 0;
    for (let i = 0; i < n && list.length < config.maxParticles; i++) {
      primaryId += 1 + Math.floor(rng.exponential(3));
      if (primaryId > 0xffff) break;
      const species = sampleSpecies(rng);
      const q = rng.uniform() < 0.5 ? 1 : -1;
      const pt = samplePtGeV(rng, config.ptMinGeV, hard);
      const eta = sampleAbsEta(rng, config.etaMax) * (rng.uniform() < 0.5 ? -1 : 1);
      const phi = 2 * Math.PI * rng.uniform() - Math.PI;
      const px = pt * Math.cos(phi);
      const py = pt * Math.sin(phi);
      const pz = pt * Math.sinh(eta);
      const id = encodeParticleId({ vertexId: vertex.vertexId, primaryId, generation: 0, secondaryId: 0, process: 0 });
      list.add(id, pdgFor(species, q), q, species.massGeV, 0, vertex.xMm, vertex.yMm, vertex.zMm, px, py, pz);
    }
    const v0Mean = config.v0PerInteraction * (hard ? config.hardScatterMeanCharged / Math.max(1e-9, config.meanChargedPerInteraction) : 1);
    addV0Daughters(rng, config, list, vertex, rng.poisson(v0Mean), primaryId, hard);
  }
  return interactions;
}

/** Tracker envelope (mm): V0s decaying beyond it leave nothing the detector sees. */
const ENVELOPE_R_MM = 1030;
const ENVELOPE_Z_MM = 3000;
const v0 = newV0Decay();
/** V0s are made flat in |η| up to here. */
const V0_ETA_MAX = 5;

/** Appends the charged daughters of `n` V0s made at `vertex` (generation 0, primary ids after `lastPrimaryId`, like
 * the real files' displaced particles); only daughters inside the particles files' cuts (pT ≥ ptMin, |η| ≤ etaMax). */
function addV0Daughters(
  rng: Rng,
  config: SimulateConfig,
  list: ParticleList,
  vertex: Interaction,
  n: number,
  lastPrimaryId: number,
  hard: boolean,
): void {
  let primaryId = lastPrimaryId;
  for (let i = 0; i < n && list.length < config.maxParticles; i++) {
    const pt = samplePtGeV(rng, config.ptMinGeV, hard) * config.v0PtScale;
    // Flat in η beyond the particles files' |η| ≤ 4: daughters of V0s at |η| > 4 reach inside it (with the parents
    // cut at 4 like the primaries, the displaced daughters' median |η| was 1.68 against the real 1.88–2.04).
    const eta = V0_ETA_MAX * rng.uniform() * (rng.uniform() < 0.5 ? -1 : 1);
    const phi = 2 * Math.PI * rng.uniform() - Math.PI;
    decayV0(rng, vertex.xMm, vertex.yMm, vertex.zMm, pt, eta, phi, v0);
    if (Math.hypot(v0.vx, v0.vy) > ENVELOPE_R_MM || Math.abs(v0.vz) > ENVELOPE_Z_MM) continue;
    for (let d = 0; d < 2; d++) {
      const dpx = v0.p[3 * d];
      const dpy = v0.p[3 * d + 1];
      const dpz = v0.p[3 * d + 2];
      const dpt = Math.hypot(dpx, dpy);
      if (dpt < config.ptMinGeV || Math.abs(Math.asinh(dpz / dpt)) > config.etaMax) continue;
      primaryId += 1 + Math.floor(rng.exponential(3));
      if (primaryId > 0xffff) return;
      const id = encodeParticleId({ vertexId: vertex.vertexId, primaryId, generation: 0, secondaryId: 0, process: 0 });
      list.add(id, v0.pdg[d], v0.q[d], v0.massGeV[d], 0, v0.vx, v0.vy, v0.vz, dpx, dpy, dpz);
    }
  }
}
