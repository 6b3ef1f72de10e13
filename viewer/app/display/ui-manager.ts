/// <reference lib="dom" />
// The page's controls (Phoenix's UI manager role): binds the panel's inputs to the EventDisplay facade and writes
// the facade's state, counts, score and legends back into the panel and the URL.
import type { ViewerEventData } from '../event-data.ts';
import type { Projection, ViewState } from '../state.ts';
import type { EventDisplay, Legend } from './event-display.ts';

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

function renderLegend(l: Legend): HTMLElement {
  const box = document.createElement('div');
  box.className = 'legend-block';
  const title = document.createElement('div');
  title.className = 'legend-title';
  title.textContent = l.title;
  box.append(title);
  if (l.gradient) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.background = l.gradient.css;
    const ticks = document.createElement('div');
    ticks.className = 'ticks';
    for (const t of l.gradient.ticks) ticks.append(Object.assign(document.createElement('span'), { textContent: t }));
    box.append(bar, ticks);
  }
  for (const sw of l.swatches ?? []) {
    const s = document.createElement('span');
    s.className = 'sw';
    s.style.background = sw.css;
    box.append(s, document.createTextNode(sw.label + ' '));
  }
  if (l.note) box.append(Object.assign(document.createElement('div'), { className: 'legend-note', textContent: l.note }));
  return box;
}

export interface BindOptions {
  /** Unbinds everything when aborted (the web page binds again for each event dropped on it). */
  signal?: AbortSignal;
  /** Appended to the URL query the view keeps (the web page's backend choice). */
  extraQuery?: () => string;
  /** Another event picked (default: reload the page for it, as the server's viewer does). */
  onEventChange?: (eventId: string) => void;
}

/** Wires the panel to the display for one event. One function (over 80 lines) on purpose: it reads top to bottom
 * in the order of the panel, each control next to the facade call it makes. */
export function bindUi(display: EventDisplay, d: ViewerEventData, events: string[], opts: BindOptions = {}): void {
  const listen = { signal: opts.signal };
  const eventSel = $<HTMLSelectElement>('event');
  eventSel.replaceChildren(...events.map((e) => new Option(e, e)));
  const volumes = [...new Set(d.hits.volumeId)].sort((a, b) => a - b);
  const layers = [...new Set(d.hits.layerId)].sort((a, b) => a - b);
  fillSelect($('cut-volume'), volumes, display.state.volume);
  fillSelect($('cut-layer'), layers, display.state.layer);
  const slider = $<HTMLInputElement>('threshold');
  slider.disabled = !d.graph?.score;
  for (const opt of $<HTMLSelectElement>('tracks').options)
    opt.disabled = (opt.value === 'live' && !d.graph?.score) || (opt.value === 'submission' && !d.tracks);
  for (const opt of $<HTMLSelectElement>('hit-colour').options)
    opt.disabled = !d.truth && (opt.value === 'particle' || opt.value === 'match');
  for (const opt of $<HTMLSelectElement>('edge-colour').options) opt.disabled = opt.value === 'truth' && !d.graph?.y;
  for (const opt of $<HTMLSelectElement>('hit-style').options) opt.disabled = opt.value === 'graph' && !d.graph;
  const r = d.result;
  $('pipeline-score').textContent =
    r?.score !== undefined ? `${r.score.toFixed(4)}${r.threshold !== undefined ? ` (tracks at threshold ${r.threshold})` : ''}` : '–';

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
    $('track-source').textContent = s.tracks === 'submission' ? "pipeline's tracks" : s.tracks === 'live' ? 'live union-find' : 'no tracks';
    $('score').textContent =
      st.score === undefined ? (d.truth ? '–' : 'no truth') : `${st.score.toFixed(4)} (${st.goodTracks} good tracks)`;
    $('update-ms').textContent = st.lastUpdateMs.toFixed(1);
    $('load-ms').textContent = st.loadMs.toFixed(0);
    $<HTMLInputElement>('cut-pt').value = String(s.ptMinGeV);
    $<HTMLInputElement>('cut-eta').value = String(s.absEtaMax);
    $<HTMLSelectElement>('hit-colour').value = s.hitColour;
    $<HTMLSelectElement>('hit-style').value = s.hitStyle;
    $<HTMLSelectElement>('edge-colour').value = s.edgeColour;
    $<HTMLSelectElement>('tracks').value = s.tracks;
    $<HTMLInputElement>('show-hits').checked = s.showHits;
    $<HTMLInputElement>('show-edges').checked = s.showEdges;
    $<HTMLInputElement>('show-detector').checked = s.showDetector;
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]'))
      b.style.outline = b.dataset.view === s.projection ? '1px solid #8ea0bb' : '';
    $('legends').replaceChildren(...display.legends().map(renderLegend));
    // The URL follows the view; replaceState so the back button is not flooded by slider steps.
    clearTimeout(urlTimer);
    urlTimer = window.setTimeout(() => history.replaceState(null, '', `?${display.toQuery()}${opts.extraQuery?.() ?? ''}`), 150);
  };
  const unsubscribe = display.onChange(sync);
  opts.signal?.addEventListener('abort', () => {
    unsubscribe();
    clearTimeout(urlTimer);
  });
  sync();

  // The slider can fire faster than frames: apply the latest value once per animation frame.
  let pending: number | undefined;
  slider.addEventListener(
    'input',
    () => {
      const first = pending === undefined;
      pending = Number(slider.value);
      if (first)
        requestAnimationFrame(() => {
          display.setThreshold(pending!);
          pending = undefined;
        });
    },
    listen,
  );
  const cuts = (): void =>
    display.setCuts({
      ptMinGeV: Math.max(0, Number($<HTMLInputElement>('cut-pt').value) || 0),
      absEtaMax: Math.min(5, Math.max(0, Number($<HTMLInputElement>('cut-eta').value) || 5)),
      volume: Number($<HTMLSelectElement>('cut-volume').value),
      layer: Number($<HTMLSelectElement>('cut-layer').value),
    });
  for (const id of ['cut-pt', 'cut-eta', 'cut-volume', 'cut-layer']) $(id).addEventListener('change', cuts, listen);
  const value = (e: Event) => (e.target as HTMLSelectElement).value;
  $('hit-colour').addEventListener('change', (e) => display.setHitColour(value(e) as ViewState['hitColour']), listen);
  $('hit-style').addEventListener('change', (e) => display.setHitStyle(value(e) as ViewState['hitStyle']), listen);
  $('edge-colour').addEventListener('change', (e) => display.setEdgeColour(value(e) as ViewState['edgeColour']), listen);
  $('tracks').addEventListener('change', (e) => display.setTrackSource(value(e) as ViewState['tracks']), listen);
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]'))
    b.addEventListener('click', () => display.setProjection(b.dataset.view as Projection), listen);
  const check = (e: Event) => (e.target as HTMLInputElement).checked;
  $('show-hits').addEventListener('change', (e) => void display.setVisible('hits', check(e)), listen);
  $('show-edges').addEventListener('change', (e) => void display.setVisible('edges', check(e)), listen);
  $('show-detector').addEventListener('change', (e) => void display.setVisible('detector', check(e)), listen);
  $('show-axes').addEventListener('change', (e) => void display.setVisible('axes', check(e)), listen);
  eventSel.addEventListener(
    'change',
    () => {
      if (opts.onEventChange) opts.onEventChange(eventSel.value);
      else location.search = `?${new URLSearchParams({ event: eventSel.value })}`;
    },
    listen,
  );
  $('export-png').addEventListener('click', () => download(`${d.eventId}-view.png`, display.exportPng()), listen);
  $('export-phoenix').addEventListener(
    'click',
    () => {
      const blob = new Blob([JSON.stringify(display.exportPhoenix())], { type: 'application/json' });
      download(`${d.eventId}-phoenix.json`, URL.createObjectURL(blob));
    },
    listen,
  );
  $('copy-link').addEventListener('click', () => void navigator.clipboard?.writeText(location.href), listen);

  // A click (not a drag) picks the nearest drawn hit.
  const canvas = display.canvas;
  let down: [number, number] | undefined;
  canvas.addEventListener('pointerdown', (e) => (down = [e.clientX, e.clientY]), listen);
  canvas.addEventListener(
    'pointerup',
    (e) => {
      if (!down || Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return;
      showInfo(display.pick(e.clientX, e.clientY)?.lines);
    },
    listen,
  );
  window.addEventListener('resize', () => display.resize(), listen);
}
