/// <reference lib="dom" />
// The web page's pipeline worker: loads what the static build holds (pipeline.json's config, the model, the module
// map), picks the tfjs backend, and runs dropped event files through the pipeline's own stages (src/pipeline/
// track-event.ts: the same functions and config as `npm run pipeline`), then turns the result into the display's
// layers (viewer/shared/event-layers.ts, as the viewer server does). Every message it posts is in protocol.ts.
import { InputError } from '../src/core/errors.ts';
import { buildDetectorIndex } from '../src/geometry/detector-index.ts';
import { builtInDetector, detectorFromCsv } from '../src/geometry/detectors.ts';
import { graphContextFrom } from '../src/graph/context.ts';
import { disposeModel } from '../src/gnn/model.ts';
import { modelFromFiles } from '../src/gnn/model-file.ts';
import { selectWebBackend, type WebBackendChoice } from '../src/gnn/web-backend.ts';
import type { EdgeScorer } from '../src/pipeline/edge-scorer.ts';
import { modelScorer } from '../src/pipeline/model-scorer.ts';
import { trackEvent } from '../src/pipeline/track-event.ts';
import type { PipelineConfig } from '../src/pipeline/pipeline-config.ts';
import type { GraphContext } from '../src/graph/build.ts';
import type { InteractionNetwork } from '../src/gnn/model.ts';
import { EVENT_FILE_RE, type EventFileKind } from '../src/trackml/event-names.ts';
import { checkInflatedInput, checkRawInput, CORRUPT_GZIP, isGzip } from '../src/trackml/input-bytes.ts';
import { parseHits, parseParticles, parseTruth } from '../src/trackml/parse.ts';
import type { Detectors, TrackmlEvent } from '../src/trackml/types.ts';
import { detectorLayer, graphLayer, tracksLayer, truthLayer } from '../viewer/shared/event-layers.ts';
import type { DroppedFile, FromWorker, PageStage, RunResult, ToWorker, WebBuildManifest } from './protocol.ts';

const scope = self as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const base = new URL('./', import.meta.url);
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

interface Setup {
  config: PipelineConfig;
  ctx: GraphContext;
  scorer: EdgeScorer;
  model: InteractionNetwork;
  detectors: Detectors;
}
let setup: Promise<Setup> | undefined;

async function fetchBytes(rel: string): Promise<Uint8Array> {
  const res = await fetch(new URL(rel, base));
  if (!res.ok) throw new Error(`${rel}: HTTP ${res.status} from the page's own folder (is the static build complete?)`);
  return new Uint8Array(await res.arrayBuffer());
}

/** A file's bytes as the Node readers see them: gunzipped when they start with the gzip magic, same messages. */
async function inflate(name: string, raw: Uint8Array): Promise<Uint8Array> {
  checkRawInput(name, raw);
  if (!isGzip(raw)) return raw;
  let data: Uint8Array;
  try {
    const stream = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    data = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new InputError(name, undefined, CORRUPT_GZIP);
  }
  checkInflatedInput(name, data);
  return data;
}

async function init(backend: WebBackendChoice, previous: Promise<Setup> | undefined): Promise<Setup> {
  const t0 = performance.now();
  const old = await previous?.catch(() => undefined);
  if (old) disposeModel(old.model);
  const manifest = (await (await fetch(new URL('pipeline.json', base))).json()) as WebBuildManifest;
  const report = await selectWebBackend(backend, new URL('wasm/', base).href);
  const f = manifest.files;
  const [json, weights, map, det] = await Promise.all([
    fetchBytes(f.modelJson),
    fetchBytes(f.weights),
    f.moduleMap ? fetchBytes(f.moduleMap) : undefined,
    f.detectors ? fetchBytes(f.detectors) : undefined,
  ]);
  const { model, file } = modelFromFiles(f.modelJson, new TextDecoder().decode(json), f.weights, () => weights);
  const scorer = modelScorer(
    model,
    file,
    `${manifest.modelId}:${report.backend}`,
    `GNN ${manifest.modelLabel} (backend: ${report.backend})`,
  );
  const detectors = det && f.detectors ? detectorFromCsv(f.detectors, await inflate(f.detectors, det)) : builtInDetector();
  const ctx = graphContextFrom(manifest.config.graph, buildDetectorIndex(detectors), map);
  const { config: _config, ...rest } = manifest;
  post({
    type: 'ready',
    backend: report,
    setupMs: performance.now() - t0,
    manifest: { ...rest, threshold: manifest.config.tracks.threshold ?? scorer.threshold ?? 0.5 },
  });
  return { config: manifest.config, ctx, scorer, model, detectors };
}

/** The dropped files of one event, by kind; a file of another name or a second event is refused. */
function classify(files: DroppedFile[]): { eventId: string; byKind: Map<EventFileKind, DroppedFile> } {
  const byKind = new Map<EventFileKind, DroppedFile>();
  let eventId: string | undefined;
  for (const f of files) {
    const m = EVENT_FILE_RE.exec(f.name);
    if (!m)
      throw new InputError(
        f.name,
        undefined,
        'not a TrackML event file name (eventNNNNNNNNN-hits.csv[.gz], optionally with -truth, -particles, -cells)',
      );
    if (eventId !== undefined && m[1] !== eventId)
      throw new InputError(f.name, undefined, `another event than ${eventId}; drop one event's files at a time`);
    eventId = m[1];
    const kind = m[2] as EventFileKind;
    const prev = byKind.get(kind);
    if (prev) throw new InputError(f.name, undefined, `ambiguous: ${prev.name} is also present; keep one of them`);
    byKind.set(kind, f);
  }
  if (eventId === undefined) throw new InputError(undefined, undefined, 'no files given');
  if (!byKind.has('hits')) throw new InputError(undefined, undefined, `${eventId}: no hits file (${eventId}-hits.csv[.gz])`);
  return { eventId, byKind };
}

/** Unique buffers of typed arrays, to move them to the page instead of copying. */
function buffersOf(...arrays: (ArrayBufferView | undefined)[]): Transferable[] {
  return [...new Set(arrays.filter((a) => a !== undefined).map((a) => a!.buffer as ArrayBuffer))];
}

/** Over 80 lines on purpose: read → pipeline → layers is one sequence, each step timed and reported in turn. */
async function run(files: DroppedFile[]): Promise<void> {
  if (!setup) setup = init('auto', undefined);
  const s = await setup;
  const timingsMs: RunResult['timingsMs'] = {};
  const stage = (st: PageStage, ms?: number) => {
    if (ms !== undefined) timingsMs[st] = ms;
    post({ type: 'stage', stage: st, ms });
  };
  const { eventId, byKind } = classify(files);
  stage('read');
  let t = performance.now();
  const bytesOf = async (kind: EventFileKind) => {
    const f = byKind.get(kind)!;
    return inflate(f.name, new Uint8Array(f.bytes));
  };
  const hitsName = byKind.get('hits')!.name;
  const event: TrackmlEvent = { eventId, hits: parseHits(hitsName, await bytesOf('hits')) };
  const notes: string[] = [];
  // As the Node pipeline: particles only beside truth, cells never.
  if (byKind.has('truth')) {
    event.truth = parseTruth(byKind.get('truth')!.name, await bytesOf('truth'));
    if (byKind.has('particles')) event.particles = parseParticles(byKind.get('particles')!.name, await bytesOf('particles'));
  } else if (byKind.has('particles')) notes.push(`${byKind.get('particles')!.name}: not used without a truth file`);
  if (byKind.has('cells')) notes.push(`${byKind.get('cells')!.name}: not used (the pipeline does not read cells)`);
  stage('read', performance.now() - t);
  const tracked = await trackEvent(event, s, (st, ms) => stage(st, ms), {
    truthFile: byKind.get('truth')?.name,
    submissionFile: `${eventId}-submission.csv`,
  });
  stage('layers');
  t = performance.now();
  const hits = event.hits;
  const g = tracked.graph;
  const graph = graphLayer(hits, g, tracked.scores, s.scorer.threshold, `${eventId} graph`);
  const tracks = tracksLayer(hits, tracked.submission, 'pipeline (run in this page)');
  const truth = event.truth ? truthLayer(hits, event.truth, event.particles, byKind.get('truth')!.name) : undefined;
  stage('layers', performance.now() - t);
  const result: RunResult = {
    eventId,
    hits,
    truth,
    graph,
    tracks,
    threshold: tracked.threshold,
    score: tracked.score?.score,
    goodTracks: tracked.score?.goodTracks,
    submissionCsv: tracked.submissionCsv,
    used: [...byKind.values()].map((f) => f.name),
    notes,
    timingsMs,
    counts: { hits: hits.hitId.length, nodes: g.hitId.length, edges: g.src.length, tracks: tracks.trackId.length },
  };
  const transfer = buffersOf(
    ...Object.values(hits),
    graph.nodeHit,
    graph.src,
    graph.dst,
    graph.edgeRow,
    graph.score,
    graph.y,
    tracks.hitTrack,
    tracks.trackId,
    ...(truth ? [truth.particleId, truth.particle, truth.weight, truth.ptGeV, truth.eta, truth.charge, truth.nhits] : []),
  );
  post({ type: 'result', result }, transfer);
}

async function detector(): Promise<void> {
  if (!setup) setup = init('auto', undefined);
  const d = detectorLayer((await setup).detectors);
  post({ type: 'detector', detector: d }, buffersOf(d.cx, d.cy, d.cz, d.rot, d.halfU, d.halfV, d.thickness));
}

function report(err: unknown): void {
  const userError = err instanceof InputError;
  const message = (err as Error)?.message ?? String(err);
  if (!userError) console.error(err);
  post({ type: 'error', message: message.replace(/\s*\n\s*/g, '; '), userError });
}

// One message at a time, in order: a run waits for the set-up a backend change started.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  const m = e.data;
  queue = queue.then(async () => {
    try {
      if (m.type === 'init') {
        setup = init(m.backend, setup);
        await setup;
      } else if (m.type === 'run') await run(m.files);
      else await detector();
    } catch (err) {
      if (m.type === 'init') setup = undefined;
      report(err);
    }
  });
};
