// Public surface of the geometry stage: detector loading, the lookup index, the layer table and its checks.
export { loadDetector } from './detector-model.ts';
export { builtInDetector, defaultLayerTable, detectorFromCsv, permuteDetectors, sortDetectors } from './detectors.ts';
export { DetectorIndex, buildDetectorIndex, DEFAULT_CANDIDATE_MARGIN_MM, type LayerSurface, type LayerKind } from './detector-index.ts';
export {
  deriveLayerTable,
  parseLayerTable,
  formatLayerTable,
  unpackGroups,
  LAYER_TABLE_FORMAT,
  type LayerTable,
  type LayerTableLayer,
  type ModuleGroup,
  type ModuleType,
} from './layer-table.ts';
export { buildDetectorFromTable } from './procedural.ts';
export { compareDetectors, type VolumeMismatch } from './compare.ts';
export { SolenoidField, solenoidField, loopField, ellipticKE, type SolenoidSpec } from './solenoid-field.ts';
export { B_FIELD_T, MM_PER_GEV, ptGeVFromRadius, radiusMmFromPt, wrapPhi } from './helix-math.ts';
