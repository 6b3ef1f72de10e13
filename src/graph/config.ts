// Graph stage config: builder, detector mode, cut preset and overrides. Strict schema (unknown keys are errors);
// presets fill the cuts a file does not set.
import { z } from 'zod';
import type { GeometricCuts } from './geometric.ts';

/** Classic HEP.TrkX-style cut sets, named by the particle pT they aim to keep. */
export const CUT_PRESETS: Record<'pt1' | 'pt0.5', GeometricCuts> = {
  pt1: { phiSlopeMaxRadPerMm: 0.001, z0MaxMm: 200, dEtaMax: Infinity, dPhiTolRad: 0.002 },
  'pt0.5': { phiSlopeMaxRadPerMm: 0.0006, z0MaxMm: 150, dEtaMax: Infinity, dPhiTolRad: 0.002 },
};

const cutsSchema = z.strictObject({
  phiSlopeMaxRadPerMm: z.number().positive().optional(),
  z0MaxMm: z.number().positive().optional(),
  /** Omit for no Δη cut. */
  dEtaMax: z.number().positive().optional(),
  dPhiTolRad: z.number().nonnegative().optional(),
});

export const graphConfigSchema = z.strictObject({
  /** 'geometric' cuts on every layer pair; 'moduleMap' looks module pairs up in a learned map; 'ringMap' the same
   * folded over φ (pairs of module rings, src/graph/ring-map.ts), learned from far fewer events. Both map builders
   * take their settings from `moduleMap`. */
  builder: z.enum(['geometric', 'moduleMap', 'ringMap']).default('geometric'),
  preset: z.enum(['pt1', 'pt0.5']).default('pt1'),
  /** 'pixel': pixel volumes 7–9 only; 'full': pixel and strip volumes. */
  detector: z.enum(['pixel', 'full']).default('pixel'),
  /** Also join layers with one layer between them (missed hits): everywhere (true) or disk to disk only
   * ('endcap': most missed hits are gaps between endcap module rings). */
  skipOneLayer: z.union([z.boolean(), z.literal('endcap')]).default('endcap'),
  cuts: cutsSchema.default({}),
  /** φ bins of the neighbour-search index. */
  phiBins: z.number().int().min(1).max(4096).default(128),
  /** detectors.csv(.gz) to derive layers and modules from; omitted = the built-in detector. */
  detectorsFile: z.string().optional(),
  moduleMap: z
    .strictObject({
      /** The map file written by `stage:graphs -- module-map` (required when builder is 'moduleMap' or 'ringMap'). */
      file: z.string().optional(),
      /** Each learned range is widened by this fraction of its width on both sides. */
      marginFraction: z.number().min(0).default(0.05),
      /** Learning: keep segments of particles with pT at least this (GeV). */
      learnMinPtGeV: z.number().min(0).default(0.5),
      /** Learning: keep segments of particles produced within this distance of the beam axis (mm); min/max
       * ranges are opened wide by a single far-displaced secondary otherwise. */
      learnMaxVertexRMm: z.number().positive().default(2),
      /** Learning a ring map: each range runs from this quantile to 1 − it of the segments seen rather than from
       * min to max (0: min/max, as module maps always do). */
      learnTrimFraction: z.number().min(0).max(0.01).default(0),
    })
    .default({ marginFraction: 0.05, learnMinPtGeV: 0.5, learnMaxVertexRMm: 2, learnTrimFraction: 0 }),
});

export type GraphConfigInput = z.input<typeof graphConfigSchema>;
export type GraphConfig = z.output<typeof graphConfigSchema>;

/** The preset's cuts with the config's overrides applied. */
export function resolveCuts(config: GraphConfig): GeometricCuts {
  const base = CUT_PRESETS[config.preset];
  const c = config.cuts;
  return {
    phiSlopeMaxRadPerMm: c.phiSlopeMaxRadPerMm ?? base.phiSlopeMaxRadPerMm,
    z0MaxMm: c.z0MaxMm ?? base.z0MaxMm,
    dEtaMax: c.dEtaMax ?? base.dEtaMax,
    dPhiTolRad: c.dPhiTolRad ?? base.dPhiTolRad,
  };
}

/** A full config from partial settings (defaults filled in), for code and tests. */
export function graphConfig(input: GraphConfigInput = {}): GraphConfig {
  return graphConfigSchema.parse(input);
}
