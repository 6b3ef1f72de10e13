// Moves one charged particle through the detector: helix from surface to surface in path order, exact
// crossings with the candidate modules' planes, a digitised hit per crossed module, then multiple scattering,
// energy loss and (rarely) a hadronic interaction making secondaries, before the next surface. In the solenoid's
// non-uniform field the helix is restarted at least every FIELD_SEGMENT_MAX_MM (field-segments.ts).
import { encodeParticleId } from '../trackml/index.ts';
import type { SimulateConfig } from './config.ts';
import { solenoidField, type DetectorIndex } from '../geometry/index.ts';
import { digitizeCrossing } from './digitize.ts';
import { FIELD_SEGMENT_MAX_MM, FieldSegments } from './field-segments.ts';
import { massOfPdg } from './generator.ts';
import { Helix } from './helix.ts';
import type { HitBuffer } from './hit-buffer.ts';
import { highlandTheta0, scatterMomentum, siliconDedxGeVPerMm, SILICON_X0_MM } from './material.ts';
import type { ParticleList } from './particle-list.ts';
import type { Rng } from './rng.ts';

/** Particles slower than this (GeV, transverse) are dropped: they curl inside one layer gap. */
const PT_STOP_GEV = 0.03;
/** Newton searches a module plane within this transverse path (mm) of the nominal surface crossing. */
const MODULE_WINDOW_MM = 40;
const MAX_SURFACES_PER_PARTICLE = 400;
const MAX_CANDIDATES = 256;
/** Largest candidate search margin (mm) around the nominal crossing point. */
const MAX_MARGIN_MM = 60;

/** Secondaries' momentum (not pT), GeV: SECONDARY_P_MIN_GEV + SECONDARY_P_SCALE_GEV × Gamma(SECONDARY_P_SHAPE), in an
 * isotropic direction, kept when its pT passes the particles files' cut (bench/endcap-excess.ts, issue #18). */
const SECONDARY_P_MIN_GEV = 0.05;
const SECONDARY_P_SCALE_GEV = 0.09;
const SECONDARY_P_SHAPE = 2.5;
/** Draws per secondary before giving up (the acceptance of the pT cut is about one half). */
const SECONDARY_MAX_TRIES = 64;
/** Secondary species after a hadronic interaction: protons knocked out of nuclei and charged pions. */
const SECONDARY_SPECIES: ReadonlyArray<readonly [pdg: number, q: number, share: number]> = [
  [2212, 1, 0.44],
  [211, 1, 0.28],
  [-211, -1, 0.28],
];

/** Probability of an interaction in a layer of probability p0 at normal incidence, crossed at |cos| to its normal:
 * the path, and so x/λ, grows as 1/|cos| (capped at 10, the grazing crossings that leave no hit). */
function slantedProbability(p0: number, absCos: number): number {
  if (p0 <= 0) return 0;
  return 1 - Math.pow(1 - Math.min(p0, 1), 1 / Math.max(absCos, 0.1));
}

/** Everything the propagation of one event shares; scratch arrays are reused across particles. */
export class Propagator {
  readonly helix = new Helix();
  private readonly cand = new Int32Array(MAX_CANDIDATES);
  private readonly crossT = new Float64Array(MAX_CANDIDATES);
  private readonly crossM = new Int32Array(MAX_CANDIDATES);
  private readonly pos = new Float64Array(3);
  private readonly mom = new Float64Array(3);
  private readonly uv = new Float64Array(2);
  private readonly rWorldMm: number;
  /** Per layer: how far module surfaces stray from the nominal surface (in r for barrels, z for endcaps), mm. */
  private readonly staggerMm: Float64Array;
  private readonly zWorldMm: number;
  /** Next secondary id per (vertex, primary). */
  private readonly secondaryCounter = new Map<number, number>();
  private readonly isPixelVolume: (volumeId: number) => boolean;
  /** Helix segments in the (solenoid) field: sets the helix, turns the momentum by what it leaves out. */
  private readonly segments: FieldSegments;

  constructor(
    private readonly det: DetectorIndex,
    private readonly config: SimulateConfig,
    private readonly rng: Rng,
    private readonly particles: ParticleList,
    private readonly hits: HitBuffer,
  ) {
    let r = 0;
    let z = 0;
    for (const l of det.layers) {
      r = Math.max(r, l.rMaxMm);
      z = Math.max(z, Math.abs(l.zMinMm), Math.abs(l.zMaxMm));
    }
    this.rWorldMm = r + 5;
    this.staggerMm = Float64Array.from(det.layers, (l) =>
      l.kind === 'barrel'
        ? Math.max(l.nominalMm - l.rMinMm, l.rMaxMm - l.nominalMm)
        : Math.max(l.nominalMm - l.zMinMm, l.zMaxMm - l.nominalMm),
    );
    this.zWorldMm = z + 5;
    // TrackML: volumes below 10 are the pixel detector (charge readout), 12–14 short strips, 16–18 long strips.
    this.isPixelVolume = (v) => v < 10;
    const field = solenoidField({
      centralFieldT: config.fieldT,
      radiusMm: config.solenoid?.radiusMm ?? Infinity,
      halfLengthMm: config.solenoid?.halfLengthMm ?? Infinity,
    });
    this.segments = new FieldSegments(field, this.helix, this.pos, this.mom);
  }

  /** Propagates particle row `p` of the list from its production vertex; may append secondaries to the list. */
  propagate(p: number): void {
    const list = this.particles;
    const cfg = this.config;
    const det = this.det;
    const helix = this.helix;
    const pos = this.pos;
    const mom = this.mom;
    const q = list.q[p];
    const mass = list.massGeV[p];
    pos[0] = list.vx[p];
    pos[1] = list.vy[p];
    pos[2] = list.vz[p];
    mom[0] = list.px[p];
    mom[1] = list.py[p];
    mom[2] = list.pz[p];
    if (Math.hypot(pos[0], pos[1]) > this.rWorldMm || Math.abs(pos[2]) > this.zWorldMm) return;
    this.segments.start(q);
    // What is left of the particle's allowed turning (rad): each segment turns it by |ω|·t (ω from the local Bz).
    let budget = cfg.maxTurns * 2 * Math.PI;
    let lastLayer = -1;
    let lastDir = 0;
    const layers = det.layers;
    for (let surface = 0; surface < MAX_SURFACES_PER_PARTICLE && budget > 0; surface++) {
      // Leaving the tracker volume ends the particle (calorimeter and solenoid beyond).
      let tMax = budget / Math.abs(helix.omega);
      const tOut = helix.nextCylinderCrossing(this.rWorldMm, -Infinity, Infinity, 0, tMax, 1);
      if (tOut < tMax) tMax = tOut;
      const tZ = helix.planeCrossing(helix.cotTheta >= 0 ? this.zWorldMm : -this.zWorldMm, 0, Infinity, 0, tMax);
      if (tZ < tMax) tMax = tZ;
      let best = Number.NaN;
      let bestLayer = -1;
      for (let L = 0; L < layers.length; L++) {
        const layer = layers[L];
        let t: number;
        if (layer.kind === 'barrel') {
          t = helix.nextCylinderCrossing(layer.nominalMm, layer.zMinMm - 1, layer.zMaxMm + 1, 1e-6, tMax, L === lastLayer ? -lastDir : 0);
        } else {
          if (L === lastLayer) continue;
          t = helix.planeCrossing(layer.nominalMm, layer.rMinMm - 1, layer.rMaxMm + 1, 1e-6, tMax);
        }
        if (t < best || (Number.isNaN(best) && t === t)) {
          best = t;
          bestLayer = L;
        }
      }
      const passive = cfg.passiveCylinders;
      for (let k = 0; k < passive.length; k++) {
        const L = layers.length + k;
        const t = helix.nextCylinderCrossing(
          passive[k].rMm,
          -passive[k].halfLengthMm,
          passive[k].halfLengthMm,
          1e-6,
          tMax,
          L === lastLayer ? -lastDir : 0,
        );
        if (t < best || (Number.isNaN(best) && t === t)) {
          best = t;
          bestLayer = L;
        }
      }
      if (Number.isNaN(best)) return;
      // pos and mom still hold the segment's start (the helix's set point).
      const tCap = this.segments.uniform ? Infinity : FIELD_SEGMENT_MAX_MM / Math.hypot(1, helix.cotTheta);
      if (best > tCap) {
        // A long flight through a non-uniform field: stop on the way (no surface there) and restart the helix.
        this.segments.halfKick(q, tCap);
        budget -= Math.abs(helix.omega) * tCap;
        helix.position(tCap, pos);
        const phi = helix.phiAt(tCap);
        const pt = Math.hypot(mom[0], mom[1]);
        mom[0] = pt * Math.cos(phi);
        mom[1] = pt * Math.sin(phi);
        this.segments.finish(q);
        this.segments.start(q);
        continue;
      }
      this.segments.halfKick(q, best);
      // Turning rate of this segment's helix (hitModule and applyMaterial restart the helix).
      const omega = Math.abs(helix.omega);
      if (bestLayer >= layers.length) {
        // A passive cylinder (beam pipe, support tube): material only, no hit.
        const cyl = passive[bestLayer - layers.length];
        helix.position(best, pos);
        const phi = helix.phiAt(best);
        const pt = Math.hypot(mom[0], mom[1]);
        mom[0] = pt * Math.cos(phi);
        mom[1] = pt * Math.sin(phi);
        this.segments.finish(q);
        const r = Math.hypot(pos[0], pos[1]);
        const radial = (pos[0] * Math.cos(phi) + pos[1] * Math.sin(phi)) / r;
        // The path through the wall grows as 1 / cos(angle to the normal) in 3D.
        const cosNormal = Math.max(0.1, (Math.abs(radial) * pt) / Math.hypot(pt, mom[2]));
        const pInteract = slantedProbability(cfg.interactionScale * cyl.interactionProbability, cosNormal);
        budget -= omega * best;
        if (!this.applyMaterial(p, cyl.xOverX0 / cosNormal, 0, pInteract, q, mass)) return;
        lastLayer = bestLayer;
        lastDir = radial >= 0 ? 1 : -1;
        continue;
      }
      // Direction at the nominal crossing (for the barrel re-crossing rule), then the modules there.
      helix.position(best, pos);
      const phiB = helix.phiAt(best);
      const dir = pos[0] * Math.cos(phiB) + pos[1] * Math.sin(phiB) >= 0 ? 1 : -1;
      // The module planes sit up to `stagger` off the nominal surface; at a slanted crossing that moves the
      // crossing point along the surface by stagger × slope, so the lookup margin grows with the slope.
      let slope: number;
      if (layers[bestLayer].kind === 'barrel') {
        const r = Math.hypot(pos[0], pos[1]);
        const cosA = Math.abs(pos[0] * Math.cos(phiB) + pos[1] * Math.sin(phiB)) / Math.max(r, 1e-9);
        const sinA = Math.sqrt(Math.max(0, 1 - cosA * cosA));
        slope = Math.max(Math.abs(helix.cotTheta), sinA) / Math.max(cosA, 1e-3);
      } else {
        slope = 1 / Math.max(Math.abs(helix.cotTheta), 1e-3);
      }
      const margin = Math.min(MAX_MARGIN_MM, this.staggerMm[bestLayer] * slope + 0.5);
      let nCand = det.candidates(bestLayer, pos[0], pos[1], pos[2], this.cand, margin);
      let nCross = this.solveCrossings(nCand, best, 0);
      let advanced = 0;
      let alive = true;
      while (nCross > 0 && alive) {
        // Earliest crossing first; later ones are re-solved after the scattering changed the helix.
        let k0 = 0;
        for (let k = 1; k < nCross; k++) if (this.crossT[k] < this.crossT[k0]) k0 = k;
        const tm = this.crossT[k0];
        const m = this.crossM[k0];
        budget -= Math.abs(helix.omega) * tm;
        alive = this.hitModule(p, m, tm, q, mass);
        advanced += tm;
        // Remove m from the candidate list and re-solve the rest on the new helix (which starts at t = 0).
        let w = 0;
        for (let k = 0; k < nCand; k++) if (this.cand[k] !== m) this.cand[w++] = this.cand[k];
        nCand = w;
        nCross = alive ? this.solveCrossings(nCand, best - advanced, 1e-6) : 0;
      }
      if (!alive) return;
      if (advanced === 0) {
        // No module hit: restart the helix at the nominal crossing (same momentum) to keep t small. (pos was
        // used as scratch by solveCrossings.)
        helix.position(best, pos);
        const phi = helix.phiAt(best);
        const pt = Math.hypot(mom[0], mom[1]);
        mom[0] = pt * Math.cos(phi);
        mom[1] = pt * Math.sin(phi);
        budget -= omega * best;
        this.segments.finish(q);
        this.segments.start(q);
      }
      lastLayer = bestLayer;
      lastDir = dir;
    }
  }

  /** Newton on every candidate's plane around tGuess; keeps those inside bounds. Returns how many. */
  private solveCrossings(nCand: number, tGuess: number, tMin: number): number {
    const det = this.det;
    const helix = this.helix;
    const c = det.centre;
    const a = det.axes;
    const pos = this.pos;
    let n = 0;
    for (let k = 0; k < nCand; k++) {
      const m = this.cand[k];
      const o = 3 * m;
      const ao = 9 * m;
      const t = helix.planeIntersection(
        c[o],
        c[o + 1],
        c[o + 2],
        a[ao + 6],
        a[ao + 7],
        a[ao + 8],
        Math.max(tGuess, tMin),
        Math.max(tMin, tGuess - MODULE_WINDOW_MM),
        tGuess + MODULE_WINDOW_MM,
      );
      if (!(t > tMin)) continue;
      helix.position(t, pos);
      const dx = pos[0] - c[o];
      const dy = pos[1] - c[o + 1];
      const dz = pos[2] - c[o + 2];
      const u = dx * a[ao] + dy * a[ao + 1] + dz * a[ao + 2];
      const v = dx * a[ao + 3] + dy * a[ao + 4] + dz * a[ao + 5];
      if (!det.inBounds(m, u, v)) continue;
      this.crossT[n] = t;
      this.crossM[n] = m;
      n++;
    }
    return n;
  }

  /**
   * Records the hit of particle p on module m at helix path t, then applies the material effects and resets
   * the helix at that point with the new momentum. Returns false when the particle ends there.
   */
  private hitModule(p: number, m: number, t: number, q: number, mass: number): boolean {
    const det = this.det;
    const cfg = this.config;
    const rng = this.rng;
    const helix = this.helix;
    const pos = this.pos;
    const mom = this.mom;
    const list = this.particles;
    helix.position(t, pos);
    const phi = helix.phiAt(t);
    const pt = Math.hypot(mom[0], mom[1]);
    mom[0] = pt * Math.cos(phi);
    mom[1] = pt * Math.sin(phi);
    this.segments.finish(q);
    const pMag = Math.hypot(mom[0], mom[1], mom[2]);
    const c = det.centre;
    const a = det.axes;
    const o = 3 * m;
    const ao = 9 * m;
    const dxg = mom[0] / pMag;
    const dyg = mom[1] / pMag;
    const dzg = mom[2] / pMag;
    const du = dxg * a[ao] + dyg * a[ao + 1] + dzg * a[ao + 2];
    const dv = dxg * a[ao + 3] + dyg * a[ao + 4] + dzg * a[ao + 5];
    const dw = dxg * a[ao + 6] + dyg * a[ao + 7] + dzg * a[ao + 8];

    let hit = -1;
    // Grazing crossings leave no hit (the real sample has none below |cos| = 0.102 to the module normal).
    const efficiency = cfg.hitEfficiencyPerVolume[det.volumeId[m]] ?? cfg.hitEfficiency;
    if (Math.abs(dw) >= cfg.minCosIncidence && (efficiency >= 1 || rng.uniform() < efficiency)) {
      const hits = this.hits;
      const h = hits.addHit();
      hits.module[h] = m;
      hits.particle[h] = p;
      hits.tx[h] = pos[0];
      hits.ty[h] = pos[1];
      hits.tz[h] = pos[2];
      hit = h;
      const ex = pos[0] - c[o];
      const ey = pos[1] - c[o + 1];
      const ez = pos[2] - c[o + 2];
      const u = ex * a[ao] + ey * a[ao + 1] + ez * a[ao + 2];
      const v = ex * a[ao + 3] + ey * a[ao + 4] + ez * a[ao + 5];
      const pixel = this.isPixelVolume(det.volumeId[m]);
      const sharing = cfg.chargeSharingMm[det.volumeId[m]] ?? 0;
      // Barrel modules face the beam line sideways (normal ⊥ z), where the Lorentz drift acts.
      const barrel = Math.abs(a[ao + 8]) < 0.5;
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
        cfg.chargeSharingVMm[det.volumeId[m]] ?? 0,
        rng,
        hits,
        this.uv,
        pixel && barrel ? cfg.pixelLorentzTan : 0,
      );
      const mu = this.uv[0];
      const mv = this.uv[1];
      hits.x[h] = c[o] + mu * a[ao] + mv * a[ao + 3];
      hits.y[h] = c[o + 1] + mu * a[ao + 1] + mv * a[ao + 4];
      hits.z[h] = c[o + 2] + mu * a[ao + 2] + mv * a[ao + 5];
      list.nhits[p]++;
    }

    // Material: the path through the (tilted) module, in silicon-equivalent mm.
    const material = cfg.materialScale * (cfg.materialPerVolume[det.volumeId[m]] ?? 1);
    const pathMm = (det.thicknessMm[m] * material) / Math.max(Math.abs(dw), 0.05);
    const pInteract = slantedProbability(cfg.interactionScale * (cfg.interactionPerVolume[det.volumeId[m]] ?? 0), Math.abs(dw));
    const alive = this.applyMaterial(p, pathMm / SILICON_X0_MM, pathMm, pInteract, q, mass);
    if (hit >= 0) {
      // The real files' truth momentum at a hit is the one leaving the module (after its scattering and energy
      // loss): on the real sample it points along the chord to the particle's next hit (median misalignment × pT
      // 0.35 mrad·GeV in the short-strip barrel) and not the previous one (1.36).
      this.hits.tpx[hit] = mom[0];
      this.hits.tpy[hit] = mom[1];
      this.hits.tpz[hit] = mom[2];
    }
    return alive;
  }

  /**
   * Scattering, energy loss (`siliconEquivalentMm` of silicon) and a possible hadronic interaction at the
   * current point `pos` with momentum `mom`; resets the helix there. Returns false when the particle ends.
   */
  private applyMaterial(
    p: number,
    xOverX0: number,
    siliconEquivalentMm: number,
    interactionProbability: number,
    q: number,
    mass: number,
  ): boolean {
    const cfg = this.config;
    const rng = this.rng;
    const pos = this.pos;
    const mom = this.mom;
    const pMag = Math.hypot(mom[0], mom[1], mom[2]);
    if (xOverX0 > 0) {
      const theta0 = highlandTheta0(pMag, mass, q, xOverX0);
      scatterMomentum(mom, theta0, rng.gauss(), rng.gauss());
    }
    if (cfg.energyLoss && siliconEquivalentMm > 0) {
      const e = Math.hypot(pMag, mass) - siliconDedxGeVPerMm(pMag, mass) * siliconEquivalentMm;
      if (e <= mass) return false;
      const scale = Math.sqrt(e * e - mass * mass) / pMag;
      mom[0] *= scale;
      mom[1] *= scale;
      mom[2] *= scale;
    }
    if (Math.hypot(mom[0], mom[1]) < PT_STOP_GEV) return false;
    if (interactionProbability > 0 && rng.uniform() < interactionProbability) {
      this.makeSecondaries(p, pos[0], pos[1], pos[2]);
      if (rng.uniform() >= cfg.parentSurvival) return false;
    }
    this.segments.start(q);
    return true;
  }

  /** A hadronic interaction at (x, y, z): a few soft charged particles, roughly isotropic. */
  private makeSecondaries(parent: number, x: number, y: number, z: number): void {
    const cfg = this.config;
    const rng = this.rng;
    const list = this.particles;
    const parentId = list.particleId[parent];
    const vertexId = Number(parentId >> 52n);
    const primaryId = Number((parentId >> 36n) & 0xffffn);
    const generation = Math.min(4095, list.generation[parent] + 1);
    const key = vertexId * 65536 + primaryId;
    const n = rng.poisson(cfg.secondariesPerInteraction);
    for (let i = 0; i < n && list.length < cfg.maxParticles; i++) {
      let u = rng.uniform();
      let k = 0;
      while (k < SECONDARY_SPECIES.length - 1 && u >= SECONDARY_SPECIES[k][2]) u -= SECONDARY_SPECIES[k++][2];
      const [pdg, q] = SECONDARY_SPECIES[k];
      // Momentum, then an isotropic direction, kept above the files' pT cut (nuclear fragments and soft pions
      // have a momentum spectrum; their pT follows from the angle). Fits the real full events' secondaries (1003 /
      // 1005, 4,870): pT quantiles 10 / 25 / 50 / 75 / 90 % 0.120 / 0.149 / 0.210 / 0.298 / 0.390 GeV (model 0.122 /
      // 0.155 / 0.216 / 0.305 / 0.413), p 0.143 / 0.189 / 0.273 / 0.378 / 0.465 (0.152 / 0.197 / 0.270 / 0.370 /
      // 0.487), |cos θ| 25 / 50 / 75 % 0.23 / 0.46 / 0.70 (0.22 / 0.44 / 0.66). The former pT-first draw (pT =
      // 0.1 + 0.093 Gamma(1.5), isotropic cos θ) gave p 90 % 0.64 and |cos θ| 0.25 / 0.51 / 0.75: too many fast
      // secondaries along z, crossing the endcap disks (4.05 hits per secondary against the real 3.63).
      let p = 0;
      let cosTheta = 0;
      let pt = 0;
      for (let tries = 0; tries < SECONDARY_MAX_TRIES && pt < cfg.ptMinGeV; tries++) {
        p = SECONDARY_P_MIN_GEV + SECONDARY_P_SCALE_GEV * rng.gamma(SECONDARY_P_SHAPE);
        cosTheta = 2 * rng.uniform() - 1;
        pt = p * Math.sqrt(1 - cosTheta * cosTheta);
      }
      if (pt < cfg.ptMinGeV) continue;
      const phi = 2 * Math.PI * rng.uniform();
      const secondaryId = (this.secondaryCounter.get(key) ?? 0) + 1;
      this.secondaryCounter.set(key, secondaryId);
      if (secondaryId > 4095) return;
      const id = encodeParticleId({ vertexId, primaryId, generation, secondaryId, process: 2 });
      list.add(id, pdg, q, massOfPdg(pdg), generation, x, y, z, pt * Math.cos(phi), pt * Math.sin(phi), p * cosTheta);
    }
  }
}
