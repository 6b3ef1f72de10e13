// The one interface through which the display receives an event: hits, optional truth, the GNN's graph with its
// edge scores, the pipeline's final tracks and what the pipeline recorded (threshold, score). The HTTP loader
// (data.ts) fills it from the viewer server; a serverless page can fill it from a Web Worker that runs the
// pipeline on a dropped file. The display never fetches anything itself.
import type { Hits } from '../../src/trackml/types.ts';

/** The hits layer: the same columns as the TrackML event model (row = the display's hit index). */
export type HitsData = Hits;

export interface TruthData {
  particleId: BigUint64Array;
  /** Dense particle index per hit, −1 = noise. */
  particle: Int32Array;
  weight: Float64Array;
  /** The hit's particle's pT (GeV), η and charge; its number of hits. */
  ptGeV: Float32Array;
  eta: Float32Array;
  charge: Int8Array;
  nhits: Uint16Array;
}

export interface GraphData {
  /** Hit row of each graph node. */
  nodeHit: Int32Array;
  /** Edges as node rows, sorted by descending score ("score ≥ t" is a prefix). */
  src: Uint32Array;
  dst: Uint32Array;
  /** Each edge's row in the graph files (before sorting). */
  edgeRow: Uint32Array;
  score: Float32Array | undefined;
  /** Truth label per edge (1 = true segment), when known. */
  y: Uint8Array | undefined;
  /** Threshold stage:infer worked at, when known. */
  threshold: number | undefined;
}

/** A track set per hit row: dense track index (−1 = hit in no track) and the tracks' ids. */
export interface TrackSetData {
  hitTrack: Int32Array;
  trackId: BigInt64Array;
  /** Where the tracks come from (a file name, "pipeline", …). */
  source: string;
}

/** What the pipeline recorded for this event, so the first screen can show the same numbers. */
export interface PipelineResult {
  /** Edge-score threshold the pipeline's tracks were built at. */
  threshold?: number;
  /** The official TrackML score the pipeline computed for its tracks. */
  score?: number;
}

export interface ViewerEventData {
  eventId: string;
  hits: HitsData;
  truth?: TruthData;
  graph?: GraphData;
  /** The pipeline's final tracks (its submission: seeded tracks included). */
  tracks?: TrackSetData;
  result?: PipelineResult;
  /** Wall time of loading (fetching and unpacking, or computing), ms. */
  loadMs: number;
}

export interface DetectorData {
  modules: number;
  volumeId: Uint8Array;
  cx: Float32Array;
  cy: Float32Array;
  cz: Float32Array;
  rot: Float32Array;
  halfU: Float32Array;
  halfV: Float32Array;
  thickness: Float32Array;
}
