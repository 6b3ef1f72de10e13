// Public surface of the graph stage: event → Graph (geometric or module-map edges, features, truth labels),
// the shared edge metrics, Arrow files for Python users, and the graphology view for analysis.
export {
  EDGE_DETA,
  EDGE_DPHI,
  EDGE_DR,
  EDGE_DRETAPHI,
  EDGE_DZ,
  EDGE_FEATURE_NAMES,
  EDGE_FEATURES,
  NODE_FEATURE_NAMES,
  NODE_FEATURES,
  NODE_PHI,
  NODE_R,
  NODE_Z,
  R_SCALE_MM,
  Z_SCALE_MM,
  edgeCount,
  nodeCount,
  type Graph,
  type NodeTruth,
} from './graph.ts';
export { buildGraph, buildEdges, selectNodes, type GraphContext, type SelectedNodes } from './build.ts';
export { CUT_PRESETS, graphConfig, graphConfigSchema, resolveCuts, type GraphConfig, type GraphConfigInput } from './config.ts';
export { buildGeometricEdges, passesCuts, type EdgeList, type GeometricCuts, type NodeCoords } from './geometric.ts';
export {
  adjacencyCoverage,
  buildLayerModel,
  deriveAdjacency,
  layerOfHits,
  PIXEL_VOLUMES,
  type LayerModel,
  type LayerPair,
  type LayerSpec,
} from './layers.ts';
export { applyModuleMap, ModuleMapLearner, type ModuleLookup, type ModuleMap } from './module-map.ts';
export { computeNodeTruth, labelEdges, trueSegments } from './truth.ts';
export { edgeMetrics, PROMPT_VERTEX_R_MM, PT_BINS_GEV, type EdgeMetrics, type BinMetrics, type PtBin } from './metrics.ts';
export {
  edgeScoresFileName,
  edgeScoresFromArrow,
  edgeScoresToArrow,
  graphFromArrow,
  graphToArrow,
  moduleMapFromArrow,
  moduleMapToArrow,
  GRAPH_FORMAT,
  MODULE_MAP_FORMAT,
} from './arrow-io.ts';
export { toGraphology } from './graphology.ts';
export {
  checkGraphMatchesHits,
  graphEventIdsIn,
  graphFileNames,
  makeGraphContext,
  readGraph,
  readGraphs,
  runGraphStage,
  runModuleMapStage,
  type GraphRecord,
  type GraphStageContext,
} from './stage.ts';
