// What the web page and its pipeline worker say to each other, and what the static build records about itself
// (pipeline.json). Types only.
import type { BackendReport } from '../src/gnn/backend-common.ts';
import type { WebBackendChoice } from '../src/gnn/web-backend.ts';
import type { PipelineConfig } from '../src/pipeline/pipeline-config.ts';
import type { DetectorData, GraphData, TrackSetData, TruthData } from '../viewer/app/event-data.ts';
import type { Hits } from '../src/trackml/types.ts';

/** pipeline.json: the config `npm run pipeline` would run (paths replaced by the build's copies under data/). */
export interface WebBuildManifest {
  config: PipelineConfig;
  /** Where the config came from (a YAML file, or the defaults). */
  configSource: string;
  files: { modelJson: string; weights: string; moduleMap?: string; detectors?: string };
  /** The model folder the build copied, and its content hash (as the Node pipeline's scorer id). */
  modelLabel: string;
  modelId: string;
  codeVersion: string;
  builtAt: string;
}

/** A dropped or picked file. */
export interface DroppedFile {
  name: string;
  bytes: ArrayBuffer;
}

export type ToWorker = { type: 'init'; backend: WebBackendChoice } | { type: 'run'; files: DroppedFile[] } | { type: 'detector' };

/** Stages the page reports, in order: setup (model, map, backend), then the event's. */
export type PageStage = 'setup' | 'read' | 'graph' | 'gnn' | 'tracks' | 'write' | 'score' | 'layers';

export interface RunResult {
  eventId: string;
  hits: Hits;
  truth?: TruthData;
  graph: GraphData;
  tracks: TrackSetData;
  threshold: number;
  /** The official TrackML score of the submission (with truth). */
  score?: number;
  goodTracks?: number;
  submissionCsv: string;
  /** Files used (name → kind) and ignored (cells: the pipeline does not read them). */
  used: string[];
  notes: string[];
  timingsMs: Partial<Record<PageStage, number>>;
  counts: { hits: number; nodes: number; edges: number; tracks: number };
}

export type FromWorker =
  | { type: 'ready'; backend: BackendReport; setupMs: number; manifest: Omit<WebBuildManifest, 'config'> & { threshold: number } }
  | { type: 'stage'; stage: PageStage; ms?: number }
  | { type: 'result'; result: RunResult }
  | { type: 'detector'; detector: DetectorData }
  | { type: 'error'; message: string; userError: boolean };
