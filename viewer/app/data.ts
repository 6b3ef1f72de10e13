/// <reference lib="dom" />
// Loads one event's layers from the viewer server as binary column packs (see viewer/shared/binary.ts). Every
// layer but hits is optional: hits → + truth → + graph (+ scores) → + submission tracks.
import type { Hits } from '../../src/trackml/types.ts';
import { unpackColumns } from '../shared/binary.ts';

export interface EventList {
  events: { id: string; layers: Record<string, boolean> }[];
  defaultEvent: string;
  detector: string;
}

/** The hits layer: the same columns as the TrackML event model. */
export type HitsData = Hits;

export interface TruthData {
  particleId: BigUint64Array;
  /** Dense particle index per hit, −1 = noise. */
  particle: Int32Array;
  weight: Float64Array;
  ptGeV: Float32Array;
  eta: Float32Array;
  charge: Int8Array;
  nhits: Uint16Array;
}

export interface GraphData {
  nodeHit: Int32Array;
  /** Edges sorted by descending score: "score ≥ t" is a prefix. */
  src: Uint32Array;
  dst: Uint32Array;
  edgeRow: Uint32Array;
  score: Float32Array | undefined;
  y: Uint8Array | undefined;
  /** Threshold stage:infer used, when known. */
  threshold: number | undefined;
}

export interface SubmissionData {
  hitTrack: Int32Array;
  trackId: BigInt64Array;
  file: string;
}

export interface EventData {
  eventId: string;
  hits: HitsData;
  truth?: TruthData;
  graph?: GraphData;
  submission?: SubmissionData;
  /** Wall time of fetching and unpacking, ms. */
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

async function fetchPack(url: string) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${(await res.text()).trim()}`);
  return unpackColumns(await res.arrayBuffer());
}

export async function fetchEventList(): Promise<EventList> {
  const res = await fetch('/api/events');
  if (!res.ok) throw new Error(`/api/events: ${res.status}`);
  return (await res.json()) as EventList;
}

export async function loadEvent(eventId: string, layers: Record<string, boolean>): Promise<EventData> {
  const t0 = performance.now();
  const base = `/api/event/${eventId}`;
  const [hits, truth, graph, tracks] = await Promise.all([
    fetchPack(`${base}/hits.bin`),
    layers.truth ? fetchPack(`${base}/truth.bin`) : undefined,
    layers.graph ? fetchPack(`${base}/graph.bin`) : undefined,
    layers.tracks ? fetchPack(`${base}/tracks.bin`) : undefined,
  ]);
  const data: EventData = { eventId, hits: hits.columns as unknown as HitsData, loadMs: 0 };
  if (truth) data.truth = truth.columns as unknown as TruthData;
  if (graph) {
    const c = graph.columns;
    data.graph = {
      nodeHit: c.nodeHit as Int32Array,
      src: c.src as Uint32Array,
      dst: c.dst as Uint32Array,
      edgeRow: c.edgeRow as Uint32Array,
      score: c.score as Float32Array | undefined,
      y: c.y as Uint8Array | undefined,
      threshold: typeof graph.meta.threshold === 'number' ? graph.meta.threshold : undefined,
    };
  }
  if (tracks) {
    data.submission = {
      hitTrack: tracks.columns.hitTrack as Int32Array,
      trackId: tracks.columns.trackId as BigInt64Array,
      file: String(tracks.meta.file),
    };
  }
  data.loadMs = performance.now() - t0;
  return data;
}

export async function loadDetector(): Promise<DetectorData> {
  const p = await fetchPack('/api/detector.bin');
  return { modules: Number(p.meta.modules), ...(p.columns as unknown as Omit<DetectorData, 'modules'>) };
}
