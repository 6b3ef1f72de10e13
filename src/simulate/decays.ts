// Long-lived neutral hadrons (K0s, Λ, Λ̄) made at an interaction, flown an exponential decay length βγcτ and decayed
// into two charged hadrons (K0s → π+π−, Λ → pπ−, Λ̄ → p̄π+), isotropic in the parent's rest frame. Their daughters are
// the real events' displaced generation-0 particles: 650–720 per full event born 2 mm or more from the beam axis,
// half of them beyond 25 mm, pions and (anti)protons (real particles files 1003 and 1005).
import type { Rng } from './rng.ts';

/** A neutral parent: PDG id, mass (GeV), cτ (mm), and the decay into two charged daughters. */
interface V0Species {
  pdg: number;
  massGeV: number;
  ctauMm: number;
  /** Share among the V0s made (charged decays only). */
  share: number;
  /** Daughters: PDG id, charge, mass (GeV). */
  daughters: readonly [readonly [number, number, number], readonly [number, number, number]];
}

const PION = 0.13957;
const PROTON = 0.938272;

/** K0s : Λ : Λ̄ so that (anti)protons are a quarter of the displaced daughters, as in the real 5 % sample (9 of 38
 * displaced generation-0 particles beyond 2 mm). */
export const V0_SPECIES: readonly V0Species[] = [
  {
    pdg: 310,
    massGeV: 0.497611,
    ctauMm: 26.84,
    share: 0.53,
    daughters: [
      [211, 1, PION],
      [-211, -1, PION],
    ],
  },
  {
    pdg: 3122,
    massGeV: 1.115683,
    ctauMm: 78.9,
    share: 0.235,
    daughters: [
      [2212, 1, PROTON],
      [-211, -1, PION],
    ],
  },
  {
    pdg: -3122,
    massGeV: 1.115683,
    ctauMm: 78.9,
    share: 0.235,
    daughters: [
      [-2212, -1, PROTON],
      [211, 1, PION],
    ],
  },
];

/** One decayed V0: the decay vertex and the two daughters (PDG, charge, mass, momentum). */
export interface V0Decay {
  vx: number;
  vy: number;
  vz: number;
  pdg: [number, number];
  q: [number, number];
  massGeV: [number, number];
  /** px, py, pz of daughter 0 then daughter 1, GeV. */
  p: Float64Array;
}

function pickSpecies(rng: Rng): V0Species {
  let u = rng.uniform();
  for (const s of V0_SPECIES) {
    if (u < s.share) return s;
    u -= s.share;
  }
  return V0_SPECIES[0];
}

/** Momentum of each daughter in the rest frame of a parent of mass M decaying to masses m1, m2. */
function twoBodyMomentum(M: number, m1: number, m2: number): number {
  const a = M * M - (m1 + m2) * (m1 + m2);
  const b = M * M - (m1 - m2) * (m1 - m2);
  return Math.sqrt(Math.max(0, a * b)) / (2 * M);
}

/**
 * A V0 made at (x0, y0, z0) with transverse momentum ptGeV, pseudorapidity eta and azimuth phi, flown and decayed.
 * Writes into `out` (reused) and returns it.
 */
export function decayV0(rng: Rng, x0: number, y0: number, z0: number, ptGeV: number, eta: number, phi: number, out: V0Decay): V0Decay {
  const s = pickSpecies(rng);
  const M = s.massGeV;
  const px = ptGeV * Math.cos(phi);
  const py = ptGeV * Math.sin(phi);
  const pz = ptGeV * Math.sinh(eta);
  const p = Math.hypot(px, py, pz);
  const e = Math.hypot(p, M);
  // Decay length: exponential with mean βγcτ = (p / M) cτ.
  const flight = rng.exponential((p / M) * s.ctauMm);
  out.vx = x0 + (flight * px) / p;
  out.vy = y0 + (flight * py) / p;
  out.vz = z0 + (flight * pz) / p;
  const [d0, d1] = s.daughters;
  const pStar = twoBodyMomentum(M, d0[2], d1[2]);
  // Isotropic direction in the rest frame.
  const cosT = 2 * rng.uniform() - 1;
  const sinT = Math.sqrt(1 - cosT * cosT);
  const a = 2 * Math.PI * rng.uniform();
  const kx = pStar * sinT * Math.cos(a);
  const ky = pStar * sinT * Math.sin(a);
  const kz = pStar * cosT;
  // Boost along the parent's velocity β = p / E: k∥ → γ(k∥ + β E*), k⊥ unchanged.
  const bx = px / e;
  const by = py / e;
  const bz = pz / e;
  const b2 = bx * bx + by * by + bz * bz;
  const gamma = e / M;
  for (let d = 0; d < 2; d++) {
    const sign = d === 0 ? 1 : -1;
    const m = d === 0 ? d0[2] : d1[2];
    const ex = Math.hypot(pStar, m);
    const qx = sign * kx;
    const qy = sign * ky;
    const qz = sign * kz;
    const bq = bx * qx + by * qy + bz * qz;
    const f = ((gamma - 1) * bq) / b2 + gamma * ex;
    out.p[3 * d] = qx + f * bx;
    out.p[3 * d + 1] = qy + f * by;
    out.p[3 * d + 2] = qz + f * bz;
  }
  out.pdg[0] = d0[0];
  out.pdg[1] = d1[0];
  out.q[0] = d0[1];
  out.q[1] = d1[1];
  out.massGeV[0] = d0[2];
  out.massGeV[1] = d1[2];
  return out;
}

export function newV0Decay(): V0Decay {
  return { vx: 0, vy: 0, vz: 0, pdg: [0, 0], q: [0, 0], massGeV: [0, 0], p: new Float64Array(6) };
}
