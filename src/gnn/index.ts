// Public surface of the GNN stage: the Interaction Network, backend choice, training, inference, model files.
export { BACKENDS, describeBackend, selectBackend, type BackendChoice, type BackendName, type BackendReport } from './backend.ts';
export { loadModel, saveModel, trainedGraphConfig, loadTrainState, saveTrainState, MODEL_FORMAT, type ModelFile } from './checkpoint.ts';
export { modelConfigSchema, trainConfigSchema, type ModelConfig, type TrainConfig } from './config.ts';
export { classifyEdges, type InferOptions } from './infer.ts';
export { chooseThreshold, filterEdges, filteredGraphMetrics, rocAuc, scoreMetrics, type ScoreMetrics } from './metrics.ts';
export { createModel, disposeModel, mlpParamCount, paramCount, type InteractionNetwork } from './model.ts';
export { calibrateThreshold, runInferStage, runTrainStage, scoreFileName } from './stage.ts';
export { phiSectors, trainModel, weightedBce, type EpochRecord, type TrainState } from './train.ts';
export { filterGraph, keepEdges, spreadScores } from './filter.ts';
export { filterConfigSchema, type FilterConfig } from './config.ts';
export { filterWeightsHash, loadFilter, type LoadedFilter } from './stage.ts';
