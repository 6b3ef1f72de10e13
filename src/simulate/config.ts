// Simulator settings: one zod schema with the defaults in code; unknown keys are errors. The defaults are the
// TrackML-like physics (MU = 200, 2 T, |η| < 4, pT > 100 MeV) tuned against the real sample event.
import { z } from 'zod';

export const simulateConfigSchema = z
  .object({
    /** Number of pile-up interactions per event (TrackML: 200), or its mean with `poissonPileup`. */
    pileup: z.number().min(0).max(4000).default(200),
    /** Draw the number of pile-up interactions from a Poisson distribution instead of using `pileup` exactly
     * (off by default: real events span 94–110 k hits, narrower than Poisson pile-up would give). */
    poissonPileup: z.boolean().default(false),
    /** Add a busier, harder interaction as vertex 1 (TrackML events are tt̄ plus pile-up). */
    hardScatter: z.boolean().default(true),
    /** Field at the centre of the solenoid, tesla. */
    fieldT: z.number().positive().default(2),
    /** The solenoid's current sheet (null: a uniform field). The real events' field falls off along z: fitted to
     * the real sample's truth (momentum turned between consecutive hits of a particle against ∫ dl × B along the
     * step), a sheet of half-length 2.6 m (radius 1.2–1.8 m fit alike) leaves a median unexplained turn of 0.016
     * GeV·rad beyond |z| = 1 m against 0.036 for a uniform field (within 1 m: 0.0025 against 0.0028). */
    solenoid: z
      .object({ radiusMm: z.number().positive(), halfLengthMm: z.number().positive() })
      .strict()
      .nullable()
      .default({ radiusMm: 1300, halfLengthMm: 2600 }),
    beamSigmaXYMm: z.number().min(0).default(0.015),
    beamSigmaZMm: z.number().min(0).default(55),
    /** Mean charged primaries (pT > ptMin, |η| < etaMax) per pile-up interaction; negative-binomial shape k.
     * Set to the prompt primaries of the real full events' particles files (7,292 and 7,673 per event; 34.5 gave
     * 6,410): with the V0 daughters and secondaries 10.3–10.9 k particles and 104–110 k hits, as in the four real
     * full events. */
    meanChargedPerInteraction: z.number().min(0).default(36.5),
    /** Negative-binomial shape of the charged multiplicity per interaction. The real events' vertices are broader
     * (k ≈ 1.1–1.3 per vertex in 1003/1005) but their totals are narrow (hits 104–110 k over four events, σ 2.1 %,
     * narrower than 200 independent such vertices give): k = 6 keeps a simulated event's total within ~3 % (k =
     * 1.8 gave 104–121 k over eight events), so that one event's density is the real one. */
    multiplicityShapeK: z.number().positive().default(6),
    /** Mean charged particles of vertex 1 (real 1003 / 1005: 63 and 90 prompt particles, no busier than others). */
    hardScatterMeanCharged: z.number().min(0).default(80),
    ptMinGeV: z.number().positive().default(0.1),
    etaMax: z.number().positive().default(4),
    /** Particles below this pT (GeV) at production leave no hits: the real events' simulation skipped them (real
     * full events 1003/1005: 93–100 % of the prompt primaries with pT 0.10–0.15 GeV have none, in every |η| bin; at
     * 0.145 the simulated ones in 0.145–0.15 left ~9 hits each). */
    simulatedPtMinGeV: z.number().min(0).default(0.15),
    /** Mean number of V0s (K0s, Λ, Λ̄ decaying to two charged hadrons) per pile-up interaction, and the factor on
     * their pT over the charged primaries' spectrum (heavier hadrons are harder): set so that the daughters born
     * 2 mm or more off the beam axis match the real full events' particles files (1003, 1005) in number, pT, radius
     * and score weight. A V0's transverse flight is pT/M·cτ, so the pT scale sets how far out the daughters start:
     * with 1.3 / 2.6 the pairs of daughters sat too close in (per event 80 at r 10–30 mm against the real 57–69, 25
     * at 100–200 mm against 31–36) and the particles born beyond 30 mm carried 0.029 of the pT weight of primaries
     * with ≥ 4 hits against the real 0.031–0.040 (displaced pT 90 % quantile 0.98 GeV, real 1.05–1.14); 1.5 / 2.55
     * gives 0.038 and 1.06 GeV (6 events) with the same number of displaced particles (690, real 653–718). */
    v0PerInteraction: z.number().min(0).default(2.55),
    v0PtScale: z.number().positive().default(1.5),
    /** Probability of a hadronic interaction making secondaries when a particle crosses a module of the volume at
     * normal incidence (the module with its supports, cooling and cables); a slanted crossing of path 1/|cos| as
     * long interacts with probability 1 − (1 − p)^(1/|cos|), as the material traversed grows (x/λ per layer, as in
     * Fatras). Set so that the secondaries' production points in each detector region match the real full events'
     * particles files (beam pipe, pixel barrel / endcaps, support tube, strip barrels / endcaps). */
    interactionPerVolume: z
      .record(z.string().regex(/^\d+$/), z.number().min(0).max(1))
      .default({ 7: 0.009, 8: 0.006, 9: 0.009, 12: 0.0197, 13: 0.0116, 14: 0.0197, 16: 0.0197, 17: 0.0099, 18: 0.0197 }),
    /** Multiplies every interaction probability (modules and passive cylinders); 0 switches interactions off. */
    interactionScale: z.number().min(0).default(1),
    /** Passive material cylinders (no hits): where the real sample's secondaries start besides the modules —
     * 7 of its 118 at r = 19 mm (beam pipe), 16 at r = 200 mm (support tube). X/X0 and the interaction
     * probability are at normal incidence; both grow with the slant like the modules'. */
    passiveCylinders: z
      .array(
        z
          .object({
            rMm: z.number().positive(),
            halfLengthMm: z.number().positive(),
            xOverX0: z.number().min(0),
            interactionProbability: z.number().min(0).max(1),
          })
          .strict(),
      )
      .default([
        { rMm: 19, halfLengthMm: 3000, xOverX0: 0.003, interactionProbability: 0.00315 },
        { rMm: 200, halfLengthMm: 3000, xOverX0: 0.01, interactionProbability: 0.0066 },
      ]),
    /** Mean number of charged secondaries above ptMin per interaction (Poisson: some interactions make only
     * neutral or too-soft products, so the parent's track simply ends). */
    secondariesPerInteraction: z.number().min(0).default(1.4),
    /** Probability that the interacting particle goes on after a hadronic interaction. */
    parentSurvival: z.number().min(0).max(1).default(0.2),
    /** Longest transverse path of a particle, in turns of its helix. Half a turn matches the real sample: only
     * 2.3 % of its particles have hits coming back inward (0.5 % of hits); one full turn gives 17 % (5.7 %). */
    maxTurns: z.number().positive().default(0.5),
    /** Multiplies every module's material (below) for multiple scattering and energy loss. */
    materialScale: z.number().min(0).default(1),
    /** Material per module crossing in units of the module's own silicon thickness, per volume: modules carry
     * supports, cooling and cables. Measured on the real sample from the momentum lost between consecutive
     * hits of a particle (median 0.52–0.58 MeV in pixels, 0.77–0.96 in strip barrels, 0.94–1.61 in strip
     * endcaps): ≈ 4.6× silicon in the barrels, 9–10× in the endcaps. The same material gives the real
     * sample's scattering (change of dip angle between hits) in the barrels; the real strip endcaps scatter
     * still more (2–10×), which is not modelled. */
    materialPerVolume: z
      .record(z.string().regex(/^\d+$/), z.number().min(0))
      .default({ 7: 9, 8: 4.6, 9: 9, 12: 9.2, 13: 4.6, 14: 9.2, 16: 10, 17: 5.3, 18: 10 }),
    energyLoss: z.boolean().default(true),
    /** Crossings at a smaller |cos| of the angle to the module normal leave no hit: the real sample's barrel
     * pixel hits stop at 0.102 (none from |η| > 2.97 in the first layer, where the simulation without the
     * cut puts 12 % of that layer's hits). */
    minCosIncidence: z.number().min(0).max(1).default(0.1),
    /** Probability that a crossed module records the hit. The real sample has holes: 6 of 732 barrel layers
     * (0.8 %) between a particle's innermost and outermost barrel hits are missing, against 0.02 % with
     * efficiency 1. */
    hitEfficiency: z.number().min(0).max(1).default(0.992),
    /** Per volume, instead of `hitEfficiency`: the pixel endcap disks' modules overlap in φ, and there the real
     * sample records fewer second hits: 1.615 ± 0.019 hits per crossed disk (852 crossings of volumes 7 and 9;
     * 1.571 for pT > 1 GeV) against 1.66 simulated with 0.992, while its disk-level holes (1.3 %) stay near the
     * simulated 0.9 %, as module-level losses hidden by the overlaps do. 0.955 gives 1.62 (bench/endcap-excess.ts). */
    hitEfficiencyPerVolume: z.record(z.string().regex(/^\d+$/), z.number().min(0).max(1)).default({ 7: 0.955, 9: 0.955 }),
    /** Share of all hits that are noise: the real full events 1003 and 1005 have 16.8 % and 16.2 % (hits not
     * counted in any particle's nhits), the 5 % sample 15.0 %. */
    noiseFraction: z.number().min(0).max(0.9).default(0.165),
    /** Per volume: distance (mm) from a channel edge within which the neighbour channel in u also fires (charge
     * sharing), set on the real sample's signal clusters (share of 1 / 2 / 3 channels wide in u): short-strip barrel
     * 0.28 / 0.43 / 0.18, endcaps 0.60 / 0.29 / 0.05, long-strip barrel 0.10 / 0.39 / 0.23 — simulated now 0.24 /
     * 0.45 / 0.18, 0.66 / 0.30 / 0.02, 0.09 / 0.31 / 0.26 (before: 0.35 / 0.39 / 0.14, 0.44 / 0.51 / 0.03, 0.17 / 0.33
     * / 0.22). The real long-strip endcap clusters (0.16 / 0.33 / 0.25, 10 % six or more) are wider than any sharing
     * makes them; 0.03 mm gives 0.2 / 0.5 / 0.2 (0.06 gave none one strip wide). */
    chargeSharingMm: z
      .record(z.string().regex(/^\d+$/), z.number().min(0))
      .default({ 7: 0.003, 8: 0.008, 9: 0.003, 12: 0.006, 13: 0.008, 14: 0.006, 16: 0.03, 17: 0.02, 18: 0.03 }),
    /** The same across v channel edges: pixel endcaps (the real sample's clusters are 1.5 pixels long in r) and
     * the 1.2 mm short-strip rows (real: 10 % (endcaps) and 23 % (barrel) of the clusters span two rows). */
    chargeSharingVMm: z
      .record(z.string().regex(/^\d+$/), z.number().min(0))
      .default({ 7: 0.028, 8: 0.003, 9: 0.028, 12: 0.06, 13: 0.024, 14: 0.06 }),
    /** tan of the (effective) Lorentz angle in barrel pixels (E ⊥ B), set to give the real sample's barrel-pixel
     * cluster widths in u (mean 1.8 pixels, 30 % one pixel wide; without it 1.4 and 54 %). */
    pixelLorentzTan: z.number().min(-1).max(1).default(0.4),
    /** Hard cap on generated particles per event (protects memory at absurd pile-up). */
    maxParticles: z.number().int().positive().default(2_000_000),
  })
  .strict();

export type SimulateConfig = z.infer<typeof simulateConfigSchema>;

/** Defaults merged with overrides; unknown keys or bad values throw a ZodError (the CLI maps it to an InputError). */
export function simulateConfig(overrides: Partial<SimulateConfig> = {}): SimulateConfig {
  return simulateConfigSchema.parse(overrides);
}
