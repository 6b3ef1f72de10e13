/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page entry of the static build (`npm run build:web`): files dropped or picked here go to the pipeline worker
// (worker.ts), which runs the pipeline on them; its result is shown in the viewer's own display and panel
// (viewer/app/display: the same EventDisplay and bindUi as `npm run view`). Nothing leaves the browser: the page
// fetches only its own folder's files. `window.viewer` is the display, `window.web` the page's state (tests).
import { EventDisplay } from '../viewer/app/display/event-display.ts';
import { bindUi } from '../viewer/app/display/ui-manager.ts';
import type { DetectorData, ViewerEventData } from '../viewer/app/event-data.ts';
import { DEFAULT_STATE, stateFromQuery } from '../viewer/app/state.ts';
import type { WebBackendChoice } from '../src/gnn/web-backend.ts';
import type { DroppedFile, FromWorker, PageStage, RunResult, ToWorker } from './protocol.ts';

export interface WebPageState {
  /** Resolves when the worker has loaded the model and picked its backend. */
  ready: Promise<void>;
  backend: string | undefined;
  /** Events shown so far. */
  runs: number;
  /** Per-stage times of the last run (ms), 'draw' = the display's load and first frame, 'total' = drop → drawn. */
  stagesMs: Partial<Record<PageStage | 'draw' | 'total', number>>;
  last: Omit<RunResult, 'hits' | 'truth' | 'graph' | 'tracks'> | undefined;
  /** The last error shown, one line. */
  error: string | undefined;
}

declare global {
  interface Window {
    viewer: EventDisplay;
    web: WebPageState;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const STAGE_LABELS: Record<PageStage | 'draw' | 'total', string> = {
  setup: 'model, map, backend',
  read: 'read',
  graph: 'graph',
  gnn: 'GNN',
  tracks: 'tracks',
  write: 'submission',
  score: 'score (truth)',
  layers: 'display layers',
  draw: 'draw',
  total: 'drop → tracks drawn',
};
const BACKENDS: WebBackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
const detectorWaiters: ((d: DetectorData) => void)[] = [];
const display = new EventDisplay($<HTMLCanvasElement>('view'), {
  axesOverlay: $('axes-labels'),
  scaleBar: $('scale-bar'),
  detector: () =>
    new Promise((resolve) => {
      detectorWaiters.push(resolve);
      send({ type: 'detector' });
    }),
});
let markReady: () => void = () => undefined;
const web: WebPageState = {
  ready: new Promise((r) => (markReady = r)),
  backend: undefined,
  runs: 0,
  stagesMs: {},
  last: undefined,
  error: undefined,
};
window.viewer = display;
window.web = web;

const urlBackend = new URLSearchParams(location.search).get('backend') as WebBackendChoice | null;
let backend: WebBackendChoice = urlBackend !== null && BACKENDS.includes(urlBackend) ? urlBackend : 'auto';
const backendSel = $<HTMLSelectElement>('backend');
backendSel.value = backend;
const backendQuery = () => (backend === 'auto' ? '' : `&backend=${backend}`);

function showError(message: string | undefined): void {
  web.error = message;
  $('web-error').textContent = message ?? '';
}

/** The stage table: one row per stage seen, the running one marked. */
function showStage(stage: PageStage | 'draw' | 'total', ms: number | undefined): void {
  const table = $<HTMLTableElement>('stages');
  let row = table.querySelector<HTMLTableRowElement>(`tr[data-stage="${stage}"]`);
  if (!row) {
    row = table.insertRow();
    row.dataset.stage = stage;
    row.insertCell().textContent = STAGE_LABELS[stage];
    row.insertCell();
  }
  row.className = ms === undefined ? 'running' : '';
  row.cells[1].textContent = ms === undefined ? '…' : `${ms.toFixed(0)} ms`;
  if (ms !== undefined) web.stagesMs[stage] = ms;
}

let dropAt = 0;
let running = false;

async function runFiles(files: File[]): Promise<void> {
  if (files.length === 0) return;
  if (running) {
    showError('error: a run is in progress; drop the files again when it has finished');
    return;
  }
  running = true;
  dropAt = performance.now();
  showError(undefined);
  const setupMs = web.stagesMs.setup;
  web.stagesMs = {};
  $('stages').replaceChildren();
  if (setupMs !== undefined) showStage('setup', setupMs);
  $('run-info').textContent = `${files.map((f) => f.name).join(', ')}…`;
  const dropped: DroppedFile[] = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
  send(
    { type: 'run', files: dropped },
    dropped.map((f) => f.bytes),
  );
}

let unbind: AbortController | undefined;
let submissionUrl: string | undefined;

/** The worker's result into the display: the same `load` and `bindUi` as the server's viewer page. */
function show(r: RunResult): void {
  const data: ViewerEventData = {
    eventId: r.eventId,
    hits: r.hits,
    truth: r.truth,
    graph: r.graph,
    tracks: r.tracks,
    result: { threshold: r.threshold, score: r.score },
    loadMs: performance.now() - dropAt,
  };
  // A link restores the view once the same event's files are dropped on it again.
  const query = new URLSearchParams(location.search);
  const sameEvent = query.get('event') === r.eventId;
  const initial = stateFromQuery(sameEvent ? location.search : '', { ...DEFAULT_STATE, event: r.eventId });
  const t = performance.now();
  display.load(data, initial, { thresholdFromUrl: sameEvent && query.has('thr') });
  showStage('draw', performance.now() - t);
  showStage('total', performance.now() - dropAt);
  unbind?.abort();
  unbind = new AbortController();
  bindUi(display, data, [r.eventId], { signal: unbind.signal, extraQuery: backendQuery, onEventChange: () => undefined });
  if (submissionUrl) URL.revokeObjectURL(submissionUrl);
  submissionUrl = URL.createObjectURL(new Blob([r.submissionCsv], { type: 'text/csv' }));
  const button = $<HTMLButtonElement>('download-submission');
  button.disabled = false;
  button.dataset.name = `${r.eventId}-submission.csv`;
  const c = r.counts;
  $('run-info').textContent =
    `${r.eventId}: ${c.hits} hits, graph ${c.nodes} nodes / ${c.edges} edges, ${c.tracks} tracks at threshold ${r.threshold}` +
    (r.score !== undefined ? `; TrackML score ${r.score.toFixed(4)} (${r.goodTracks} good tracks)` : '; no truth file, not scored') +
    (r.notes.length ? `\n${r.notes.join('\n')}` : '');
  const { hits: _h, truth: _t, graph: _g, tracks: _k, ...rest } = r;
  web.last = rest;
  web.runs++;
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready': {
      web.backend = m.backend.backend;
      const skipped = m.backend.attempts.filter((a) => !a.ok).map((a) => `${a.backend} skipped: ${a.reason}`);
      $('backend-report').textContent = [
        `GNN on ${m.backend.backend}; model ${m.manifest.modelLabel} (threshold ${m.manifest.threshold}), config: ${m.manifest.configSource}`,
        ...skipped,
      ].join('\n');
      showStage('setup', m.setupMs);
      markReady();
      break;
    }
    case 'stage':
      showStage(m.stage, m.ms);
      break;
    case 'result':
      running = false;
      show(m.result);
      break;
    case 'detector':
      for (const w of detectorWaiters.splice(0)) w(m.detector);
      break;
    case 'error':
      running = false;
      for (const row of $('stages').querySelectorAll('tr.running')) row.remove();
      showError(m.userError ? `error: ${m.message}` : `internal error: ${m.message}`);
      break;
  }
};
worker.onerror = (e) => showError(`internal error: the pipeline worker failed: ${e.message}`);

send({ type: 'init', backend });
backendSel.addEventListener('change', () => {
  backend = backendSel.value as WebBackendChoice;
  $('backend-report').textContent = `switching to ${backend}…`;
  send({ type: 'init', backend });
  const q = new URLSearchParams(location.search);
  if (backend === 'auto') q.delete('backend');
  else q.set('backend', backend);
  history.replaceState(null, '', `?${q}`);
});
$('download-submission').addEventListener('click', () => {
  const a = document.createElement('a');
  a.href = submissionUrl!;
  a.download = $('download-submission').dataset.name!;
  a.click();
});
const input = $<HTMLInputElement>('file-input');
input.addEventListener('change', () => {
  void runFiles([...(input.files ?? [])]);
  input.value = '';
});
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  void runFiles([...(e.dataTransfer?.files ?? [])]);
});
window.addEventListener('resize', () => display.resize());
