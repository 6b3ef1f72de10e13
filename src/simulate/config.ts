// Simulator settings: one zod schema with the defaults in code; unknown keys are errors. The defaults are the
// TrackML-like physics (MU = 200, 2 T, |η| < 4, pT > 100 MeV) tuned against the real sample event.
import { z } from 'zod';

export const simulateConfigSchema = z
  .object({
    /** Mean number of pile-up interactions per event (the actual count is Poisson-distributed). */
    pileup: z.number().min(0).max(4000).default(200),
    /** Add a busier, harder interaction as vertex 1 (TrackML events are tt̄ plus pile-up). */
    hardScatter: z.boolean().default(true),
    fieldT: z.number().positive().default(2),
    beamSigmaXYMm: z.number().min(0).default(0.015),
    beamSigmaZMm: z.number().min(0).default(55),
    /** Mean charged primaries (pT > ptMin, |η| < etaMax) per pile-up interaction; negative-binomial shape k. */
    meanChargedPerInteraction: z.number().min(0).default(38),
    multiplicityShapeK: z.number().positive().default(1.8),
    hardScatterMeanCharged: z.number().min(0).default(220),
    ptMinGeV: z.number().positive().default(0.1),
    etaMax: z.number().positive().default(4),
    /** Particles below this pT (GeV) at production leave no hits: the real events' simulation skipped them
     * (real sample: 23 of 25 primaries with pT 0.10–0.15 GeV have no hit, but only 4 % of those above). */
    simulatedPtMinGeV: z.number().min(0).default(0.15),
    /** Share of primaries that come from a displaced decay vertex (K0s, Λ, …) instead of the interaction point. */
    displacedFraction: z.number().min(0).max(1).default(0.05),
    displacedMeanMm: z.number().positive().default(40),
    /** Probability that a particle crossing a module undergoes a hadronic interaction making secondaries
     * (effective: stands for the module plus its support and services). */
    interactionProbability: z.number().min(0).max(1).default(0.018),
    /** Mean number of charged secondaries above ptMin per interaction (1 + Poisson(mean − 1)). */
    secondariesPerInteraction: z.number().min(1).default(1.35),
    /** Probability that the interacting particle goes on after a hadronic interaction. */
    parentSurvival: z.number().min(0).max(1).default(0.2),
    /** Longest transverse path of a particle, in turns of its helix. Half a turn matches the real sample: only
     * 2.3 % of its particles have hits coming back inward (0.5 % of hits); one full turn gives 17 % (5.7 %). */
    maxTurns: z.number().positive().default(0.5),
    /** Multiplies every module's silicon thickness for multiple scattering and energy loss (1 = silicon only). */
    materialScale: z.number().min(0).default(1),
    energyLoss: z.boolean().default(true),
    /** Probability that a crossed module records the hit. */
    hitEfficiency: z.number().min(0).max(1).default(1),
    /** Share of all hits that are noise. */
    noiseFraction: z.number().min(0).max(0.9).default(0.18),
    /** Distance (mm) within which a channel next to the track's path also fires (charge sharing). */
    chargeSharingPixelMm: z.number().min(0).default(0.005),
    chargeSharingShortStripMm: z.number().min(0).default(0.02),
    /** Long strips (volumes 16–18, 0.35 mm thick, 0.12 mm pitch) share more: the real sample has only 16 % of
     * their clusters one strip wide. */
    chargeSharingLongStripMm: z.number().min(0).default(0.05),
    /** Hard cap on generated particles per event (protects memory at absurd pile-up). */
    maxParticles: z.number().int().positive().default(2_000_000),
  })
  .strict();

export type SimulateConfig = z.infer<typeof simulateConfigSchema>;

/** Defaults merged with overrides; unknown keys or bad values throw a ZodError (the CLI maps it to an InputError). */
export function simulateConfig(overrides: Partial<SimulateConfig> = {}): SimulateConfig {
  return simulateConfigSchema.parse(overrides);
}
