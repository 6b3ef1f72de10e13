// The static web build end to end in Debian's Chromium (playwright-core), served by a plain static file server:
// the real sample event's files dropped on the page give, on wasm (the engine `npm run pipeline` runs with
// `backend: wasm`), the Node pipeline's submission byte for byte and the Node scorer's score on the page's own
// submission; a link restores the view; forced WebGPU (Chromium's software adapter, when it offers one) scores
// within 0.001; a bad file gives the CLI's one-line message; a real full event (hits only) shows tracks and
// per-stage times. The page requests nothing outside its folder and nothing but GET. Skipped without the real files.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/score.ts';
import { InputError } from '../../src/core/errors.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { readSubmission, readTruth } from '../../src/trackml/index.ts';
import { buildWeb } from '../../web/build.ts';
import type { WebPageState } from '../../web/main.ts';
import { cliArgv } from '../cli-run.ts';
import { hasRealData, realDataDir, repoRoot, tempDir } from '../real-data.ts';
import { serveStatic, type StaticServer } from '../../web/static-server.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../bench/chromium.ts';

/** A whole event through the page on software WebGL/WebGPU: ~20-90 s each on this 2-core box under load 20. */
const HEAVY_TIMEOUT_MS = 300_000;
const shared = realDataDir();
const sampleDir = path.join(shared, 'sample-event');
const EVENT = 'event000000001';
const FULL_HITS = path.join(shared, 'full-events', 'event000000005-hits.csv.gz');
const hasData = hasRealData && existsSync(path.join(sampleDir, `${EVENT}-hits.csv.gz`)) && existsSync(FULL_HITS);
if (!hasData) process.stderr.write(`web e2e tests skipped: real TrackML files not found under ${shared}\n`);
const sampleFiles = ['hits', 'truth', 'particles'].map((k) => path.join(sampleDir, `${EVENT}-${k}.csv.gz`));

describe.runIf(hasData)('the pipeline in the browser (static build)', () => {
  const tmp = tempDir('web-e2e-');
  const site = path.join(tmp, 'site');
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let nodeRun: Promise<void>;
  const problems: string[] = [];
  /** Every request any page made: method and URL. */
  const requests: string[] = [];

  beforeAll(async () => {
    // `npm run pipeline` on the same files with the wasm backend, in a child process while the site builds.
    const input = path.join(tmp, 'input');
    mkdirSync(input);
    for (const f of sampleFiles) copyFileSync(f, path.join(input, path.basename(f)));
    writeFileSync(path.join(tmp, 'wasm.yaml'), 'backend: wasm\n');
    nodeRun = new Promise((resolve, reject) => {
      const argv = cliArgv('pipeline', '--input', input, '--output', path.join(tmp, 'node'), '--config', path.join(tmp, 'wasm.yaml'));
      const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run pipeline failed: ${err}`))));
    });
    nodeRun.catch(() => undefined);
    await buildWeb({ outputDir: site });
    server = await serveStatic(site);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS, '--enable-unsafe-webgpu'] });
    page = await open(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(url: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1200, height: 760 }, acceptDownloads: true });
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await p.goto(url);
    await p.evaluate(() => window.web.ready);
    return p;
  }

  const web = (p: Page) => p.evaluate(() => ({ ...window.web, ready: undefined })) as Promise<Omit<WebPageState, 'ready'>>;

  /** Drops files on the page as a user's drag and drop does (a DataTransfer on a drop event). */
  async function drop(p: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
    const runs = (await web(p)).runs;
    const dt = await p.evaluateHandle(
      (fs) => {
        const t = new DataTransfer();
        for (const f of fs) t.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
        return t;
      },
      files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })),
    );
    await p.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dt });
    await waitForRun(p, runs);
  }

  async function waitForRun(p: Page, runsBefore: number): Promise<void> {
    await p.waitForFunction((n) => window.web.runs > n || window.web.error !== undefined, runsBefore, { timeout: 240_000 });
  }

  const fileOf = (f: string) => ({ name: path.basename(f), bytes: readFileSync(f) });

  async function download(p: Page, button: string, to: string): Promise<Buffer> {
    const [d] = await Promise.all([p.waitForEvent('download'), p.click(button)]);
    await d.saveAs(to);
    return readFileSync(to);
  }

  it(
    'wasm: the dropped sample event gives npm run pipeline’s submission byte for byte, and the Node scorer’s score',
    async () => {
      await drop(page, sampleFiles.map(fileOf));
      const w = await web(page);
      expect(w.error).toBeUndefined();
      expect(w.backend).toBe('wasm'); // auto: Chromium here has at most a software WebGPU adapter, skipped as in Node
      expect(await page.$eval('#backend-report', (e) => e.textContent)).toMatch(/GNN on wasm[\s\S]*webgpu skipped: /);
      const submission = await download(page, '#download-submission', path.join(tmp, `${EVENT}-page-submission.csv`));
      await nodeRun;
      const nodeSubmission = readFileSync(path.join(tmp, 'node', `${EVENT}-submission.csv`));
      expect(submission.length).toBeGreaterThan(50_000);
      expect(submission.equals(nodeSubmission)).toBe(true);
      // The page's TrackML score is the Node scorer's on the page's own submission, to the last bit.
      const truth = readTruth(sampleFiles[1]);
      const nodeScore = scoreEvent(truth, readSubmission(path.join(tmp, `${EVENT}-page-submission.csv`))).score;
      expect(w.last!.score).toBe(nodeScore);
      expect(nodeScore).toBeGreaterThan(0.8);
      // The viewer's display: the pipeline's tracks drawn, their live score the same number, edges by TP/FP/FN.
      const stats = await page.evaluate(() => window.viewer.stats);
      expect(stats.tracksDrawn).toBeGreaterThan(100);
      expect(stats.score).toBe(nodeScore);
      expect(await page.$eval('#pipeline-score', (e) => e.textContent)).toContain(nodeScore.toFixed(4));
      await page.selectOption('#edge-colour', 'truth');
      await page.waitForFunction(() => window.viewer.state.edgeColour === 'truth');
      expect(await page.evaluate(() => window.viewer.litPixels())).toBeGreaterThan(2000);
      // Per-stage times in the page.
      for (const s of ['setup', 'read', 'graph', 'gnn', 'tracks', 'write', 'score', 'draw', 'total'] as const)
        expect(w.stagesMs[s]).toBeGreaterThan(0);
      expect(await page.$$eval('#stages tr', (rows) => rows.length)).toBeGreaterThanOrEqual(10);
      // Phoenix JSON of what is drawn.
      const phoenix = JSON.parse((await download(page, '#export-phoenix', path.join(tmp, 'phoenix.json'))).toString()) as Record<
        string,
        { Hits: { Hits: unknown[] }; Tracks: Record<string, unknown[]> }
      >;
      expect(phoenix[EVENT].Hits.Hits.length).toBe(truth.hitId.length);
      expect(Object.values(phoenix[EVENT].Tracks)[0].length).toBeGreaterThan(100);
    },
    HEAVY_TIMEOUT_MS,
  );

  it(
    'a link restores the view once the same files are dropped on it; forced WebGPU scores within 0.001 of Node',
    async () => {
      await page.$eval('#threshold', (el) => {
        (el as HTMLInputElement).value = '0.9';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.click('[data-view="rz"]');
      await page.waitForFunction(() => location.search.includes('thr=0.9') && location.search.includes('view=rz'));
      const hasAdapter = await page.evaluate(async () => !!(await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter()));
      if (!hasAdapter) process.stderr.write('web e2e: Chromium offers no WebGPU adapter here; the link is checked on wasm\n');
      const link = (await page.evaluate(() => location.href)) + (hasAdapter ? '&backend=webgpu' : '');
      const p2 = await open(link);
      try {
        await p2.setInputFiles('#file-input', sampleFiles);
        await waitForRun(p2, 0);
        const w = await web(p2);
        expect(w.error).toBeUndefined();
        expect(await p2.evaluate(() => window.viewer.state)).toMatchObject({ threshold: 0.9, projection: 'rz', event: EVENT });
        if (hasAdapter) {
          expect(w.backend).toBe('webgpu');
          const nodeRecord = JSON.parse(readFileSync(path.join(tmp, 'node', `${EVENT}-record.json`), 'utf8')) as {
            truth: { score: number };
          };
          expect(Math.abs(w.last!.score! - nodeRecord.truth.score)).toBeLessThan(0.001);
        }
      } finally {
        await p2.close();
      }
    },
    HEAVY_TIMEOUT_MS,
  );

  it('a bad file: the same one-line message as the CLI, in the page', async () => {
    const dir = path.join(tmp, 'bad');
    mkdirSync(dir);
    const lines = readFileSync(path.join(tmp, 'input', `${EVENT}-hits.csv.gz`));
    const text = (await import('node:zlib')).gunzipSync(lines).toString('latin1').split('\n');
    text[4] = text[4].replace(/^(\d+),[^,]+,/, '$1,1.5e,');
    const cases: [string, Buffer][] = [
      [`${EVENT}-hits.csv`, Buffer.from(text.join('\n'), 'latin1')],
      [`${EVENT}-hits.csv.gz`, gzipSync(Buffer.from(text.join('\n'), 'latin1')).subarray(0, 5000)],
    ];
    for (const [name, bytes] of cases) {
      const d = path.join(dir, name.replace(/\W/g, '_'));
      mkdirSync(d);
      writeFileSync(path.join(d, name), bytes);
      const cli = await runPipeline({ inputDir: d, outputDir: path.join(d, 'out'), config: { backend: 'wasm' }, progress: false }).then(
        () => 'no error',
        (e: unknown) => (e instanceof InputError ? `error: ${e.message}` : String(e)),
      );
      expect(cli.startsWith(`error: ${path.join(d, name)}`)).toBe(true);
      await drop(page, [{ name, bytes }]);
      expect((await web(page)).error).toBe(cli.replace(`${d}${path.sep}`, ''));
    }
    await drop(page, [{ name: 'hits.csv', bytes: Buffer.from('hit_id\n') }]);
    expect((await web(page)).error).toMatch(/^error: hits\.csv: not a TrackML event file name/);
  });

  it(
    'a real full event, hits only, picked with the file chooser: tracks shown, per-stage times in the page',
    async () => {
      const runs = (await web(page)).runs;
      await page.setInputFiles('#file-input', FULL_HITS);
      await waitForRun(page, runs);
      const w = await web(page);
      expect(w.error).toBeUndefined();
      expect(w.last!.eventId).toBe('event000000005');
      expect(w.last!.score).toBeUndefined();
      expect(w.last!.counts.hits).toBeGreaterThan(80_000);
      expect(w.last!.counts.edges).toBeGreaterThan(100_000);
      const stats = await page.evaluate(() => window.viewer.stats);
      expect(stats.hits).toBe(w.last!.counts.hits);
      expect(stats.tracksDrawn).toBeGreaterThan(3000);
      for (const s of ['read', 'graph', 'gnn', 'tracks', 'write', 'draw', 'total'] as const) expect(w.stagesMs[s]).toBeGreaterThan(0);
      expect(w.stagesMs.score).toBeUndefined();
      const rows = await page.$$eval('#stages tr', (trs) => trs.map((r) => r.textContent ?? ''));
      expect(rows.some((r) => /^GNN\d+ ms$/.test(r))).toBe(true);
      expect(await page.$eval('#score', (e) => e.textContent)).toBe('no truth');
      expect(w.last!.submissionCsv.split('\n').length).toBe(w.last!.counts.hits + 2); // header + rows + final newline
    },
    HEAVY_TIMEOUT_MS,
  );

  it('fetched nothing outside its folder, only GETs, and logged no errors', () => {
    expect(server.requests.length).toBeGreaterThan(5);
    expect(server.requests.every((r) => r.startsWith('GET /'))).toBe(true);
    // Blob URLs are the page's own downloads; everything else comes from the static folder.
    const outside = requests.filter((r) => !r.startsWith(`GET ${server.url}`) && !r.startsWith('GET blob:'));
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
