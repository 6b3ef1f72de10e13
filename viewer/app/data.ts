/// <reference lib="dom" />
// Loads one event's layers from the viewer server (binary column packs, viewer/shared/binary.ts) into the
// display's data interface (event-data.ts). Every layer but hits is optional: hits → + truth → + graph (+ scores)
// → + the pipeline's tracks and record.
import { unpackColumns } from '../shared/binary.ts';
import type { DetectorData, HitsData, TruthData, ViewerEventData } from './event-data.ts';

export type { DetectorData, ViewerEventData } from './event-data.ts';

export interface EventList {
  events: { id: string; layers: Record<string, boolean> }[];
  defaultEvent: string;
  detector: string;
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

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export async function loadEvent(eventId: string, layers: Record<string, boolean>): Promise<ViewerEventData> {
  const t0 = performance.now();
  const base = `/api/event/${eventId}`;
  const [hits, truth, graph, tracks] = await Promise.all([
    fetchPack(`${base}/hits.bin`),
    layers.truth ? fetchPack(`${base}/truth.bin`) : undefined,
    layers.graph ? fetchPack(`${base}/graph.bin`) : undefined,
    layers.tracks ? fetchPack(`${base}/tracks.bin`) : undefined,
  ]);
  const data: ViewerEventData = { eventId, hits: hits.columns as unknown as HitsData, loadMs: 0 };
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
      threshold: num(graph.meta.threshold),
    };
  }
  if (tracks) {
    data.tracks = {
      hitTrack: tracks.columns.hitTrack as Int32Array,
      trackId: tracks.columns.trackId as BigInt64Array,
      source: String(tracks.meta.file),
    };
    const rec = tracks.meta.pipeline as { threshold?: unknown; score?: unknown } | undefined;
    if (rec) data.result = { threshold: num(rec.threshold), score: num(rec.score) };
  }
  data.loadMs = performance.now() - t0;
  return data;
}

export async function loadDetector(): Promise<DetectorData> {
  const p = await fetchPack('/api/detector.bin');
  return { modules: Number(p.meta.modules), ...(p.columns as unknown as Omit<DetectorData, 'modules'>) };
}
