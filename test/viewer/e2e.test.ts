// End to end in Debian's Chromium (playwright-core, SwiftShader WebGL): a simulated MU=20 event with its graph,
// edge scores and a submission, served by the viewer. The page must draw (canvas not blank), show the counts the
// files hold, move edges and the live score with the slider (checked against the tracks stage + the official
// scorer), open the info panel on a click, restore a view from its URL, and log no errors.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/score.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { graphFromArrow } from '../../src/graph/arrow-io.ts';
import { runGraphStage } from '../../src/graph/stage.ts';
import { simulateConfig } from '../../src/simulate/config.ts';
import { simulateEvent } from '../../src/simulate/simulate-event.ts';
import { buildTracks, tracksConfig } from '../../src/tracks/index.ts';
import { writeEvent, writeSubmission } from '../../src/trackml/index.ts';
import { trackByAngleBins } from '../../src/tracks/baseline.ts';
import type { Graph } from '../../src/graph/graph.ts';
import { startViewerServer, type ViewerServer } from '../../viewer/server/server.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../bench/chromium.ts';

const EVENT = 'event000000003';
const artifacts = path.join(repoRoot, 'test', 'artifacts');

const dir = tempDir('viewer-e2e-');
let server: ViewerServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
let graph: Graph;
let scores: Float32Array;
let event: ReturnType<typeof simulateEvent>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium fonts-dejavu-core`);
  event = simulateEvent(buildDetectorIndex(loadDetector()), simulateConfig({ pileup: 20 }), 11, 3);
  writeEvent(dir, event);
  runGraphStage({
    inputDir: dir,
    outputDir: path.join(dir, 'graphs'),
    configFile: path.join(repoRoot, 'pipelines', 'graphs-pixel-pt1.yaml'),
  });
  graph = graphFromArrow(
    readFileSync(path.join(dir, 'graphs', `${EVENT}-nodes.arrow`)),
    readFileSync(path.join(dir, 'graphs', `${EVENT}-edges.arrow`)),
  );
  // Edge scores in stage:infer's file format; a stand-in classifier (label + deterministic noise) keeps the
  // test independent of a trained model while giving both good and bad edges on each side of any threshold.
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  scores = Float32Array.from(graph.y!, (y) => (y ? 0.35 + 0.65 * rand() : 0.75 * rand() ** 2));
  mkdirSync(path.join(dir, 'scores'));
  writeFileSync(
    path.join(dir, 'scores', `${EVENT}-edge-scores.arrow`),
    tableToIPC(tableFromArrays({ src: graph.src, dst: graph.dst, score: scores }), 'file'),
  );
  writeSubmission(path.join(dir, `${EVENT}-submission.csv`), { hitId: event.hits.hitId, trackId: trackByAngleBins(event.hits) });
  server = await startViewerServer({ inputDir: dir, port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await page.evaluate(() => window.viewerReady);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const text = (sel: string) => page.$eval(sel, (e) => e.textContent ?? '');
const edgesAtOrAbove = (t: number) => scores.reduce((n, s) => n + (s >= t ? 1 : 0), 0);
/** The score the pipeline's own 'components' tracker (plain union-find: no stitching) and the official scorer
 * give at threshold t. */
function expectedScore(t: number): number {
  const trackId = buildTracks(event.hits.hitId, graph, scores, tracksConfig({ method: 'components', threshold: t, stitchThreshold: 1 }));
  return scoreEvent(event.truth, { hitId: event.hits.hitId, trackId }).score;
}

async function moveSlider(t: number): Promise<void> {
  await page.$eval(
    '#threshold',
    (el, v) => {
      const input = el as HTMLInputElement;
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    t,
  );
  await page.waitForFunction((v) => Math.abs(window.viewer.state.threshold - v) < 1e-9, t);
}

describe('viewer in Chromium', () => {
  it('draws the event: canvas not blank, counts as in the files, the submission shown, legends and axes', async () => {
    const n = event.hits.hitId.length;
    expect(await text('#hit-count')).toBe(`${n} / ${n}`);
    const t = await page.evaluate(() => window.viewer.state.threshold);
    expect(t).toBe(0.5); // no stage:infer provenance here, so the default
    expect(await text('#edge-count')).toBe(`${edgesAtOrAbove(t)} / ${graph.src.length}`);
    const lit = await page.evaluate(() => window.viewer.litPixels());
    expect(lit).toBeGreaterThan(2000);
    // The submission is the default track set; its score is the official scorer's.
    expect(await page.evaluate(() => window.viewer.state.tracks)).toBe('submission');
    const sub = scoreEvent(event.truth, { hitId: event.hits.hitId, trackId: trackByAngleBins(event.hits) }).score;
    expect(await page.evaluate(() => window.viewer.stats.score)).toBe(sub);
    // A legend for the hit colouring (one swatch per volume present), the edge colouring and the track lines.
    const legends = await page.$$eval('#legends .legend-title', (els) => els.map((e) => e.textContent ?? ''));
    expect(legends.some((l) => l.includes('by volume'))).toBe(true);
    expect(legends.some((l) => l.includes('GNN score'))).toBe(true);
    expect(legends.some((l) => l.startsWith('track lines'))).toBe(true);
    const volumes = new Set(event.hits.volumeId).size;
    expect(await page.$$eval('#legends .legend-block:first-child .sw', (els) => els.length)).toBe(volumes);
    // Axes labelled in mm and a scale bar with a round length.
    expect(await page.$$eval('.axis-name', (els) => els.map((e) => e.textContent))).toEqual(['x [mm]', 'y [mm]', 'z [mm]']);
    expect(Number(await page.$eval('#scale-bar', (e) => (e as HTMLElement).dataset.mm))).toBeGreaterThan(0);
    // Live union-find is a mode.
    await page.selectOption('#tracks', 'live');
    await page.waitForFunction(() => window.viewer.state.tracks === 'live');
  });

  it('the slider changes the drawn edges and the live score, as the tracks stage and scorer say', async () => {
    const before = await text('#score');
    expect(before.startsWith(expectedScore(0.5).toFixed(4))).toBe(true);
    await moveSlider(0.9);
    await page.waitForFunction((want) => document.getElementById('edge-count')!.textContent!.startsWith(`${want} /`), edgesAtOrAbove(0.9));
    const after = await text('#score');
    expect(after).not.toBe(before);
    expect(after.startsWith(expectedScore(0.9).toFixed(4))).toBe(true);
    expect(edgesAtOrAbove(0.9)).toBeLessThan(edgesAtOrAbove(0.5));
    // The view's state follows into the URL (replaceState, debounced).
    await page.waitForFunction(() => location.search.includes('thr=0.9'));
    // TP/FP/FN colouring: drawn = edges above the threshold + true edges below it.
    await page.selectOption('#edge-colour', 'truth');
    const fn = graph.y!.reduce((k, y, e) => k + (y && scores[e] < 0.9 ? 1 : 0), 0);
    expect(await text('#edge-count')).toBe(`${edgesAtOrAbove(0.9) + fn} / ${graph.src.length}`);
    await page.selectOption('#edge-colour', 'score');
  });

  it('a click on a hit opens the info panel', async () => {
    // A hit of the first event row that passes the cuts, at its drawn position.
    const p = await page.evaluate(() => window.viewer.screenPositionOfHit(0));
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('#info', { state: 'visible' });
    const info = await text('#info');
    expect(info).toContain('hit id');
    expect(info).toContain('volume / layer / module');
    expect(info).toMatch(/particle|noise/);
  });

  it('cuts filter hits, edges and tracks; Phoenix export holds the drawn hits and tracks', async () => {
    const tracksBefore = Number(await text('#track-count'));
    await page.selectOption('#cut-volume', '8');
    await page.waitForFunction(() => window.viewer.state.volume === 8);
    const inVolume8 = event.hits.volumeId.reduce((k, v) => k + (v === 8 ? 1 : 0), 0);
    expect(await text('#hit-count')).toBe(`${inVolume8} / ${event.hits.hitId.length}`);
    expect(Number(await text('#track-count'))).toBeLessThan(tracksBefore);
    const phoenix = (await page.evaluate(() => window.viewer.exportPhoenix())) as Record<
      string,
      { Hits: { Hits: unknown[] }; Tracks: Record<string, { pos: number[][]; dparams: number[] }[]> }
    >;
    expect(phoenix[EVENT].Hits.Hits.length).toBe(inVolume8);
    const tracks = Object.values(phoenix[EVENT].Tracks)[0];
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.every((t) => t.pos.length >= 3 && t.pos.every((xyz) => xyz.length === 3) && t.dparams.length === 5)).toBe(true);
    await page.selectOption('#cut-volume', '-1');
    const png = await page.evaluate(() => window.viewer.exportPng());
    expect(png.startsWith('data:image/png;base64,')).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('screenshot of the full view (artefact), then a link restores threshold, colouring and projection', async () => {
    mkdirSync(artifacts, { recursive: true });
    await page.selectOption('#hit-colour', 'match');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: path.join(artifacts, 'viewer-e2e.png') });
    await page.goto(`${server.url}&thr=0.7&hc=match&ec=truth&view=rz&trk=submission`);
    await page.evaluate(() => window.viewerReady);
    const s = await page.evaluate(() => window.viewer.state);
    expect(s).toMatchObject({ threshold: 0.7, hitColour: 'match', edgeColour: 'truth', projection: 'rz', tracks: 'submission' });
    expect(await page.$eval('#threshold', (e) => (e as HTMLInputElement).value)).toBe('0.7');
    expect(await page.evaluate(() => window.viewer.litPixels())).toBeGreaterThan(2000);
    await page.screenshot({ path: path.join(artifacts, 'viewer-e2e-rz.png') });
    // The submission's score, as the official scorer gives it.
    const sub = scoreEvent(event.truth, { hitId: event.hits.hitId, trackId: trackByAngleBins(event.hits) }).score;
    expect((await text('#score')).startsWith(sub.toFixed(4))).toBe(true);
  });

  it('logged no console errors or warnings', () => {
    expect(problems).toEqual([]);
  });
});
