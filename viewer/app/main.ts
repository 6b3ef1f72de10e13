/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page entry for `npm run view`: reads the state from the URL, loads the event from the viewer server into the
// display's data interface, shows it in the EventDisplay facade and binds the panel. `window.viewer` is the
// facade (tests).
import { fetchEventList, loadDetector, loadEvent } from './data.ts';
import { EventDisplay } from './display/event-display.ts';
import { bindUi } from './display/ui-manager.ts';
import { DEFAULT_STATE, stateFromQuery } from './state.ts';

declare global {
  interface Window {
    viewer: EventDisplay;
    viewerReady: Promise<void>;
  }
}

async function main(): Promise<void> {
  const canvas = document.getElementById('view') as HTMLCanvasElement;
  const display = new EventDisplay(canvas, {
    axesOverlay: document.getElementById('axes-labels'),
    scaleBar: document.getElementById('scale-bar'),
    detector: loadDetector,
  });
  window.viewer = display;
  const t0 = performance.now();
  display.stats.phases.scriptStart = Math.round(t0);
  const list = await fetchEventList();
  const initial = stateFromQuery(location.search, { ...DEFAULT_STATE, event: list.defaultEvent });
  const entry = list.events.find((e) => e.id === initial.event) ?? list.events[0];
  const data = await loadEvent(entry.id, entry.layers);
  display.stats.phases.fetch = Math.round(performance.now() - t0);
  display.load(data, initial, { thresholdFromUrl: new URLSearchParams(location.search).has('thr') });
  bindUi(
    display,
    data,
    list.events.map((e) => e.id),
  );
}

window.viewerReady = main().catch((err: unknown) => {
  document.getElementById('status')!.textContent = `error: ${(err as Error).message}`;
  throw err;
});
