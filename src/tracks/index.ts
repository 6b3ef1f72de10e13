// Public surface of track building: scored graph → one track id per hit, tracking metrics, and the trivial
// (η, φ)-bin baseline.
export { UnionFind, connectedComponents } from './union-find.ts';
export { bestFirstPaths } from './best-first.ts';
export {
  buildEventTracks,
  buildTracks,
  resolveComponents,
  trackNodes,
  tracksConfig,
  tracksConfigSchema,
  type ScoredGraph,
  type TracksConfig,
  type TracksConfigInput,
} from './build.ts';
export {
  addCounts,
  countTracking,
  emptyCounts,
  trackingRates,
  ETA_MIN_PT_GEV,
  METRIC_ETA_EDGES,
  METRIC_PT_EDGES_GEV,
  MIN_HITS,
  type TrackingCounts,
  type TrackingRates,
} from './metrics.ts';
export { extendConfigSchema, seedConfigSchema, type ExtendConfig, type SeedConfig } from './config.ts';
export { extendIntoStrips } from './extend.ts';
export { attachOverlapHits, overlapConfigSchema, type OverlapConfig } from './overlaps.ts';
export { trackByAngleBins, defaultAngleBinConfig, type AngleBinConfig } from './baseline.ts';
