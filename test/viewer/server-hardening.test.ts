// Viewer server hardening (issue 22, rows 6 and 12): nosniff on every route, the Host header checked (DNS
// rebinding), files checked when served — an event file swapped for a symlink out of DIR after start-up is refused on
// /api/event/…/hits.bin as on /files/ —, a symlink to a sibling folder sharing DIR's name prefix refused, and no
// request stops the server (an unreadable file for an unprivileged server, a FIFO, a folder); on a pipeline output
// folder, the input folder its provenance names is served too, checked the same way, and nothing beside it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvent, writeSubmission } from '../../src/trackml/index.ts';
import type { Hits } from '../../src/trackml/types.ts';
import { unpackColumns } from '../../viewer/shared/binary.ts';
import { hostAllowed, startViewerServer, type ViewerServer } from '../../viewer/server/server.ts';
import { insideRoot, isInside } from '../../viewer/server/safe-files.ts';
import { inMutationRun } from '../mutation-run.ts';
import { repoRoot, tempDir } from '../real-data.ts';

const base = tempDir('viewer-hardening-');
const root = path.join(base, 'run');
const sibling = path.join(base, 'run-sibling'); // shares the prefix "…/run"
const outside = path.join(base, 'elsewhere');
const EVENT = 'event000000007';
const SWAPPED = 'event000000008'; // requested first after its swap (the server keeps packs it has built)
const SECRET_X = 777; // x of the outside event's hit: must never reach a client
let server: ViewerServer;

function hitsOf(x: number): Hits {
  return {
    hitId: new Uint32Array([1, 2]),
    x: new Float32Array([x, 40]),
    y: new Float32Array([0, 5]),
    z: new Float32Array([1, 2]),
    volumeId: new Uint8Array([8, 8]),
    layerId: new Uint8Array([2, 4]),
    moduleId: new Uint16Array([1, 1]),
  };
}

/** Raw GET with an explicit Host header (null: none at all, HTTP/1.0 over a raw socket). */
function get(
  p: string,
  host: string | null = `127.0.0.1:${server.port}`,
  port = server.port,
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  if (host === null) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(`GET ${p} HTTP/1.0\r\n\r\n`));
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('end', () => {
        const text = Buffer.concat(chunks).toString('latin1');
        resolve({
          status: Number(/^HTTP\/1\.\d (\d+)/.exec(text)?.[1]),
          headers: {},
          body: Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1'),
        });
      });
    });
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  for (const d of [root, sibling, outside, path.join(root, 'sub')]) mkdirSync(d, { recursive: true });
  writeEvent(root, { eventId: EVENT, hits: hitsOf(30) }, { gzip: false });
  writeEvent(root, { eventId: SWAPPED, hits: hitsOf(31) }, { gzip: false });
  writeEvent(outside, { eventId: SWAPPED, hits: hitsOf(SECRET_X) }, { gzip: false });
  writeFileSync(path.join(root, 'notes.txt'), 'inside\n');
  writeFileSync(path.join(root, 'page.html'), '<script>alert(1)</script>\n');
  writeFileSync(path.join(sibling, 'secret.txt'), 'sibling secret\n');
  writeEvent(sibling, { eventId: 'event000000009', hits: hitsOf(SECRET_X) }, { gzip: false });
  symlinkSync(path.join(sibling, 'secret.txt'), path.join(root, 'sibling-file.txt'));
  symlinkSync(sibling, path.join(root, 'sibling-dir'));
  execFileSync('mkfifo', [path.join(root, 'pipe.csv')]);
  server = await startViewerServer({ inputDir: root, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

describe('headers and hosts', () => {
  it('X-Content-Type-Options: nosniff on every route and status', async () => {
    const paths = [
      '/',
      '/app.js',
      '/api/events',
      `/api/event/${EVENT}/hits.bin`,
      '/files/notes.txt',
      '/files/page.html',
      '/files/missing',
      '/files/../x',
      '/nope',
    ];
    for (const p of paths) expect((await get(p)).headers['x-content-type-options'], p).toBe('nosniff');
    expect((await get('/api/events', 'evil.example')).headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/files/notes.txt', undefined, server.port, 'HEAD')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers only to its own address (DNS rebinding: any other Host is refused)', async () => {
    const port = server.port;
    expect((await get('/api/events', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get('/api/events', `LOCALHOST:${port}`)).status).toBe(200);
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${port + 1}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost`,
      `[::1]:${port}`,
    ]) {
      const r = await get('/api/events', host);
      expect(r.status, host).toBe(403);
      expect(r.body.toString()).not.toContain(EVENT);
    }
    expect((await get('/api/events', null)).status).toBe(403); // HTTP/1.0 without Host
    expect((await get(`/files/notes.txt`, 'evil.example')).status).toBe(403);
  });

  it('hostAllowed: the port must match; no port only for port 80', () => {
    expect(hostAllowed('127.0.0.1:8080', 8080)).toBe(true);
    expect(hostAllowed('localhost:8080', 8080)).toBe(true);
    expect(hostAllowed('127.0.0.1', 8080)).toBe(false);
    expect(hostAllowed('localhost', 80)).toBe(true);
    expect(hostAllowed('127.0.0.1', 80)).toBe(true);
    expect(hostAllowed('example.com', 80)).toBe(false);
    expect(hostAllowed(undefined, 80)).toBe(false);
  });
});

describe('only files of DIR, checked when served', () => {
  it('a symlink to a sibling folder sharing DIR’s name prefix is outside (file and folder)', async () => {
    for (const p of ['/files/sibling-file.txt', '/files/sibling-dir/secret.txt', '/files/sibling-dir/event000000009-hits.csv']) {
      const r = await get(p);
      expect(r.status, p).toBe(403);
      expect(r.body.toString()).not.toContain('sibling secret');
    }
    const list = JSON.parse((await get('/api/events')).body.toString()) as { events: { id: string }[] };
    expect(list.events.map((e) => e.id)).toEqual([EVENT, SWAPPED]); // event000000009 in the sibling is not scanned
    expect(isInside(root, path.join(sibling, 'secret.txt'))).toBe(false);
    expect(insideRoot('/data/run', '/data/run-sibling/x')).toBe(false);
    expect(insideRoot('/data/run', '/data/run')).toBe(true);
    expect(insideRoot('/data/run', '/data/run/x')).toBe(true);
    expect(insideRoot('/', '/x')).toBe(true);
  });

  it('the folder itself is not a file', async () => {
    for (const p of ['/files/', '/files/.', '/files/sub', '/files/pipe.csv']) expect([403, 404], p).toContain((await get(p)).status);
    expect((await get('/files/')).status).toBe(403);
    expect((await get('/files/.')).status).toBe(403);
    expect((await get('/files/pipe.csv')).status).toBe(404); // a FIFO: not opened for good (it would block)
    expect((await get('/api/events')).status).toBe(200);
  });

  it('an event file swapped for a symlink out of DIR after start-up is refused on every route', async () => {
    const hitsFile = path.join(root, `${SWAPPED}-hits.csv`);
    renameSync(hitsFile, `${hitsFile}.orig`);
    symlinkSync(path.join(outside, `${SWAPPED}-hits.csv`), hitsFile);
    try {
      for (const p of [`/api/event/${SWAPPED}/hits.bin`, `/files/${SWAPPED}-hits.csv`]) {
        const r = await get(p);
        expect(r.status, p).toBe(403);
        expect(r.body.toString('latin1')).not.toContain(String(SECRET_X));
      }
    } finally {
      rmSync(hitsFile);
      renameSync(`${hitsFile}.orig`, hitsFile);
    }
    // The real file back (a new inode, as after a pipeline's atomic rewrite): served.
    const { columns } = unpackColumns(new Uint8Array((await get(`/api/event/${SWAPPED}/hits.bin`)).body).buffer);
    expect([...(columns.x as Float32Array)]).toEqual([31, 40]);
  });

  it('a HEAD on a file sends its length and no body', async () => {
    const r = await get('/files/notes.txt', undefined, server.port, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('7');
    expect(r.body.length).toBe(0);
  });
});

describe('no request stops the server', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
  });

  // Checks a child process only (test/mutation-run.ts).
  it.skipIf(inMutationRun)('an unreadable (mode-000) file under DIR: 403 on /files/ and on its layer, and the server goes on', async () => {
    const dir = path.join(base, 'locked-run');
    mkdirSync(dir);
    writeEvent(dir, { eventId: EVENT, hits: hitsOf(30) }, { gzip: false });
    writeFileSync(path.join(dir, 'locked.txt'), 'nobody may read this\n');
    writeFileSync(path.join(dir, 'open.txt'), 'readable\n');
    // An unprivileged server must reach DIR: the temp folders are 0700 by default.
    for (const d of [base, dir]) chmodSync(d, 0o755);
    chmodSync(path.join(dir, 'locked.txt'), 0o000);
    chmodSync(path.join(dir, `${EVENT}-hits.csv`), 0o000);
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'viewer', 'serve-unprivileged.ts'), dir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /port (\d+) uid (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child!.on('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 3; i++) {
      expect((await get('/files/locked.txt', host, port)).status).toBe(403);
      expect((await get(`/api/event/${EVENT}/hits.bin`, host, port)).status).toBe(403);
      expect((await get('/files/locked.txt', host, port, 'HEAD')).status).toBe(403);
    }
    const alive = await get('/files/open.txt', host, port);
    expect([alive.status, alive.body.toString()]).toEqual([200, 'readable\n']);
    expect(child.exitCode).toBe(null);
    expect(stderr).toBe('');
  });
});

describe('a pipeline output folder: files of DIR and of the input its provenance names, nothing else', () => {
  const out = path.join(base, 'out');
  const input = path.join(base, 'in');
  const inputSibling = path.join(base, 'in-sibling'); // shares the prefix "…/in"
  let pipe: ViewerServer | undefined;
  const pipeGet = (p: string) => get(p, `127.0.0.1:${pipe!.port}`, pipe!.port);

  beforeAll(async () => {
    for (const d of [out, input, inputSibling]) mkdirSync(d, { recursive: true });
    for (const [id, x] of [
      [EVENT, 30],
      [SWAPPED, 31],
    ] as const) {
      writeEvent(input, { eventId: id, hits: hitsOf(x) }, { gzip: false });
      writeSubmission(path.join(out, `${id}-submission.csv`), { hitId: new Uint32Array([1, 2]), trackId: new BigInt64Array([5n, 5n]) });
    }
    writeEvent(inputSibling, { eventId: SWAPPED, hits: hitsOf(SECRET_X) }, { gzip: false });
    writeFileSync(path.join(out, 'provenance-pipeline.json'), JSON.stringify({ results: { inputDir: input } }));
    pipe = await startViewerServer({ inputDir: out, port: 0 });
  });

  afterAll(async () => {
    await pipe?.close();
  });

  it('serves the hits from the recorded input and the tracks from DIR', async () => {
    expect(pipe!.roots).toEqual([realpathSync(out), realpathSync(input)]);
    expect(pipe!.events).toEqual([EVENT, SWAPPED]);
    const hits = await pipeGet(`/api/event/${EVENT}/hits.bin`);
    expect(hits.status).toBe(200);
    expect([...(unpackColumns(new Uint8Array(hits.body).buffer).columns.x as Float32Array)]).toEqual([30, 40]);
    const tracks = await pipeGet(`/api/event/${EVENT}/tracks.bin`);
    expect(tracks.status).toBe(200);
    expect([...(unpackColumns(new Uint8Array(tracks.body).buffer).columns.hitTrack as Int32Array)]).toEqual([0, 0]);
    // /files/ exposes DIR only.
    expect((await pipeGet(`/files/${EVENT}-submission.csv`)).status).toBe(200);
    expect((await pipeGet(`/files/${EVENT}-hits.csv`)).status).toBe(404);
  });

  it("an input file swapped for a symlink to a folder sharing the input's name prefix is refused", async () => {
    const hitsFile = path.join(input, `${SWAPPED}-hits.csv`);
    renameSync(hitsFile, `${hitsFile}.orig`);
    symlinkSync(path.join(inputSibling, `${SWAPPED}-hits.csv`), hitsFile);
    try {
      for (const layer of ['hits', 'tracks']) {
        const r = await pipeGet(`/api/event/${SWAPPED}/${layer}.bin`);
        expect(r.status, layer).toBe(403);
        expect(r.body.toString('latin1')).not.toContain(String(SECRET_X));
      }
    } finally {
      rmSync(hitsFile);
      renameSync(`${hitsFile}.orig`, hitsFile);
    }
    expect((await pipeGet(`/api/event/${SWAPPED}/hits.bin`)).status).toBe(200);
  });

  it('the input folder is served only when DIR lacks the hits it holds', async () => {
    const own = path.join(base, 'out-with-hits');
    mkdirSync(own);
    writeEvent(own, { eventId: EVENT, hits: hitsOf(30) }, { gzip: false });
    writeFileSync(path.join(own, 'provenance-pipeline.json'), JSON.stringify({ results: { inputDir: input } }));
    const s = await startViewerServer({ inputDir: own, port: 0 });
    try {
      expect(s.roots).toEqual([realpathSync(own)]);
    } finally {
      await s.close();
    }
  });
});
