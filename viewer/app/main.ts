/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page entry: reads the state from the URL, opens the event in the EventDisplay facade and binds the controls
// to it; the facade's changes flow back into the controls and the URL. `window.viewer` is the facade (tests).
import { cssRgb, EDGE_FN, EDGE_FP, EDGE_TP, MATCH_COLOURS, OUTSIDE_GRAPH_COLOUR, VIRIDIS_CSS } from './colors.ts';
import { fetchEventList } from './data.ts';
import { EventDisplay } from './display.ts';
import { DEFAULT_STATE, stateFromQuery, type Projection, type ViewState } from './state.ts';
import { MATCH_NAMES } from './tracks.ts';

declare global {
  interface Window {
    viewer: EventDisplay;
    viewerReady: Promise<void>;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function download(name: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

function fillSelect(sel: HTMLSelectElement, values: number[], selected: number): void {
  sel.replaceChildren(new Option('all', '-1'), ...values.map((v) => new Option(String(v), String(v))));
  sel.value = String(selected);
}

function showInfo(lines: [string, string][] | undefined): void {
  const box = $('info');
  if (!lines) {
    box.style.display = 'none';
    return;
  }
  const table = document.createElement('table');
  for (const [k, v] of lines) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = v;
  }
  const close = document.createElement('button');
  close.textContent = 'close';
  close.onclick = () => showInfo(undefined);
  box.replaceChildren(table, close);
  box.style.display = 'block';
}

// The page's wiring: fills the controls from the loaded event and binds each one to the display's state. Long, but
// a flat list of bindings that reads top to bottom; splitting it would scatter the controls over helpers.
async function main(): Promise<void> {
  const canvas = $<HTMLCanvasElement>('view');
  const display = new EventDisplay(canvas);
  window.viewer = display;
  const list = await fetchEventList();
  const initial: ViewState = stateFromQuery(location.search, { ...DEFAULT_STATE, event: list.defaultEvent });
  const eventSel = $<HTMLSelectElement>('event');
  eventSel.replaceChildren(...list.events.map((e) => new Option(e.id, e.id)));
  await display.open(initial, { thresholdFromUrl: new URLSearchParams(location.search).has('thr') });

  const d = display.data!;
  const volumes = [...new Set(d.hits.volumeId)].sort((a, b) => a - b);
  const layers = [...new Set(d.hits.layerId)].sort((a, b) => a - b);
  fillSelect($('cut-volume'), volumes, display.state.volume);
  fillSelect($('cut-layer'), layers, display.state.layer);
  const slider = $<HTMLInputElement>('threshold');
  slider.disabled = !d.graph?.score;
  for (const opt of $<HTMLSelectElement>('tracks').options) {
    opt.disabled = (opt.value === 'live' && !d.graph?.score) || (opt.value === 'submission' && !d.submission);
  }
  for (const opt of $<HTMLSelectElement>('hit-colour').options) opt.disabled = !d.truth && (opt.value === 'particle' || opt.value === 'match');
  for (const opt of $<HTMLSelectElement>('edge-colour').options) opt.disabled = opt.value === 'truth' && !d.graph?.y;

  let urlTimer = 0;
  const sync = (): void => {
    const s = display.state;
    const st = display.stats;
    eventSel.value = s.event;
    slider.value = String(s.threshold);
    $('threshold-value').textContent = s.threshold.toFixed(3);
    $('hit-count').textContent = `${st.hitsDrawn} / ${st.hits}`;
    $('edge-count').textContent = d.graph ? `${st.edgesDrawn} / ${st.edges}` : 'no graph';
    $('track-count').textContent = String(st.tracksDrawn);
    $('score').textContent = st.score === undefined ? (d.truth ? '–' : 'no truth') : `${st.score.toFixed(4)} (${st.goodTracks} good tracks)`;
    $('update-ms').textContent = st.lastUpdateMs.toFixed(1);
    $('load-ms').textContent = st.loadMs.toFixed(0);
    $<HTMLInputElement>('cut-pt').value = String(s.ptMinGeV);
    $<HTMLInputElement>('cut-eta').value = String(s.absEtaMax);
    $<HTMLSelectElement>('hit-colour').value = s.hitColour;
    $<HTMLSelectElement>('edge-colour').value = s.edgeColour;
    $<HTMLSelectElement>('tracks').value = s.tracks;
    $<HTMLInputElement>('show-hits').checked = s.showHits;
    $<HTMLInputElement>('show-edges').checked = s.showEdges;
    $<HTMLInputElement>('show-detector').checked = s.showDetector;
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) b.style.outline = b.dataset.view === s.projection ? '1px solid #8ea0bb' : '';
    const legend = $('legend');
    if (s.edgeColour === 'score') {
      legend.innerHTML = `<div class="bar" style="background:${VIRIDIS_CSS}"></div><div class="ticks"><span>0</span><span>0.5</span><span>1</span></div>`;
    } else {
      legend.innerHTML = `<span class="sw" style="background:${cssRgb(EDGE_TP)}"></span>TP<span class="sw" style="background:${cssRgb(EDGE_FP)}"></span>FP<span class="sw" style="background:${cssRgb(EDGE_FN)}"></span>FN`;
    }
    $('match-legend').innerHTML = s.hitColour === 'match'
      ? MATCH_NAMES.map((nm, k) => `<span class="sw" style="background:${cssRgb(MATCH_COLOURS[k])}"></span>${nm}`).join(' ') +
        (s.tracks === 'live' && d.graph ? `<span class="sw" style="background:${cssRgb(OUTSIDE_GRAPH_COLOUR)}"></span>not in graph` : '')
      : '';
    // The URL follows the view; replaceState so the back button is not flooded by slider steps.
    clearTimeout(urlTimer);
    urlTimer = window.setTimeout(() => history.replaceState(null, '', `?${display.toQuery()}`), 150);
  };
  display.onChange(sync);
  sync();

  // The slider can fire faster than frames: apply the latest value once per animation frame.
  let pending: number | undefined;
  slider.addEventListener('input', () => {
    const first = pending === undefined;
    pending = Number(slider.value);
    if (first) requestAnimationFrame(() => {
      display.setThreshold(pending!);
      pending = undefined;
    });
  });
  const cuts = (): void => display.setCuts({
    ptMinGeV: Math.max(0, Number($<HTMLInputElement>('cut-pt').value) || 0),
    absEtaMax: Math.min(5, Math.max(0, Number($<HTMLInputElement>('cut-eta').value) || 5)),
    volume: Number($<HTMLSelectElement>('cut-volume').value),
    layer: Number($<HTMLSelectElement>('cut-layer').value),
  });
  for (const id of ['cut-pt', 'cut-eta', 'cut-volume', 'cut-layer']) $(id).addEventListener('change', cuts);
  $('hit-colour').addEventListener('change', (e) => display.setHitColour((e.target as HTMLSelectElement).value as ViewState['hitColour']));
  $('edge-colour').addEventListener('change', (e) => display.setEdgeColour((e.target as HTMLSelectElement).value as ViewState['edgeColour']));
  $('tracks').addEventListener('change', (e) => display.setTrackSource((e.target as HTMLSelectElement).value as ViewState['tracks']));
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]')) b.addEventListener('click', () => display.setProjection(b.dataset.view as Projection));
  $('show-hits').addEventListener('change', (e) => void display.setVisible('hits', (e.target as HTMLInputElement).checked));
  $('show-edges').addEventListener('change', (e) => void display.setVisible('edges', (e.target as HTMLInputElement).checked));
  $('show-detector').addEventListener('change', (e) => void display.setVisible('detector', (e.target as HTMLInputElement).checked));
  eventSel.addEventListener('change', () => {
    location.search = `?${new URLSearchParams({ event: eventSel.value })}`;
  });
  $('export-png').addEventListener('click', () => download(`${d.eventId}-view.png`, display.exportPng()));
  $('export-phoenix').addEventListener('click', () => {
    const blob = new Blob([JSON.stringify(display.exportPhoenix())], { type: 'application/json' });
    download(`${d.eventId}-phoenix.json`, URL.createObjectURL(blob));
  });
  $('copy-link').addEventListener('click', () => void navigator.clipboard?.writeText(location.href));

  // A click (not a drag) picks the nearest drawn hit.
  let down: [number, number] | undefined;
  canvas.addEventListener('pointerdown', (e) => (down = [e.clientX, e.clientY]));
  canvas.addEventListener('pointerup', (e) => {
    if (!down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return;
    showInfo(display.pick(e.clientX, e.clientY)?.lines);
  });
  window.addEventListener('resize', () => display.resize());
}

window.viewerReady = main().catch((err: unknown) => {
  $('status').textContent = `error: ${(err as Error).message}`;
  throw err;
});
