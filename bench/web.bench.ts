// `npm run bench -- web`: the static web page (`npm run build:web`) in headless Chromium on a real full event — time
// from the hits file dropped to its tracks drawn, per stage, and the page's memory (measured by web-page.ts).
// Without the shared real files it writes nothing and says why (exit 0: the other benchmarks still run).
import { existsSync } from 'node:fs';
import os from 'node:os';
import { writeResult } from './lib.ts';
import { measureWebPage, WEB_EVENT_FILE } from './web-page.ts';

if (!existsSync(WEB_EVENT_FILE)) {
  process.stdout.write(`web: skipped, ${WEB_EVENT_FILE} not found (set TRACKML_DATA to the shared real files)\n`);
} else {
  const loadStart = os.loadavg()[0];
  const r = await measureWebPage();
  const round2 = (v: number) => Math.round(v * 100) / 100;
  const markdown = `## The pipeline in the browser (static page)\n\n${r.markdown}`;
  const file = writeResult('web', {
    command: 'npm run bench -- web',
    loadAverage1mStart: round2(loadStart),
    loadAverage1mEnd: round2(os.loadavg()[0]),
    ...r,
    targets: { dropToDrawnMs: 10_000, dropToDrawnGoalMs: 3000 },
    markdown,
  });
  process.stdout.write(`${markdown}\n\nwrote ${file}\n`);
}
