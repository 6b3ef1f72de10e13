// The viewer server: serves only DIR (path escapes → 403/404), listens on loopback only, and its binary layers
// decode to exactly what the event files hold (hand-made event: 6 hits, 2 particles + noise, 4 edges).
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphToArrow } from '../../src/graph/arrow-io.ts';
import { EDGE_FEATURES, NODE_FEATURES, type Graph } from '../../src/graph/graph.ts';
import { writeEvent, writeSubmission } from '../../src/trackml/index.ts';
import { unpackColumns } from '../../viewer/shared/binary.ts';
import { orderByScoreDesc } from '../../viewer/server/event-data.ts';
import { bundleViewer, startViewerServer, type ViewerServer } from '../../viewer/server/server.ts';
import { tempDir } from '../real-data.ts';

const base = tempDir('viewer-server-');
const root = path.join(base, 'run');
const EVENT = 'event000000005';
let server: ViewerServer;

/** Raw GET: the path goes on the wire as written (fetch would normalise `..` away). */
function get(p: string, host = '127.0.0.1', port = server.port): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path: p, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function unpack(body: Buffer) {
  return unpackColumns(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
}

beforeAll(async () => {
  mkdirSync(path.join(root, 'graphs'), { recursive: true });
  mkdirSync(path.join(root, 'scores'), { recursive: true });
  writeFileSync(path.join(base, 'secret.txt'), 'outside the served directory\n');
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link-out.txt'));
  // Hit ids are deliberately not 1..N and the truth is in another order than the hits.
  const hitId = new Uint32Array([10, 20, 30, 40, 50, 60]);
  const f32 = (...v: number[]) => new Float32Array(v);
  writeEvent(
    root,
    {
      eventId: EVENT,
      hits: {
        hitId,
        x: f32(30, 70, 110, 30, 70, 500),
        y: f32(0, 0, 0, 30, 70, 5),
        z: f32(1, 2, 3, -1, -2, 900),
        volumeId: new Uint8Array([8, 8, 8, 8, 8, 14]),
        layerId: new Uint8Array([2, 4, 6, 2, 4, 2]),
        moduleId: new Uint16Array([1, 1, 1, 2, 2, 7]),
      },
      truth: {
        hitId: new Uint32Array([60, 50, 40, 30, 20, 10]),
        particleId: new BigUint64Array([0n, 2n ** 60n + 7n, 2n ** 60n + 7n, 5n, 5n, 5n]),
        tx: f32(0, 0, 0, 0, 0, 0),
        ty: f32(0, 0, 0, 0, 0, 0),
        tz: f32(0, 0, 0, 0, 0, 0),
        tpx: f32(0, 3, 3, 2, 2, 2),
        tpy: f32(0, 4, 4, 0, 0, 0),
        tpz: f32(0, 0, 0, 0, 0, 0),
        weight: new Float64Array([0, 0.2, 0.2, 0.2, 0.2, 0.2]),
      },
    },
    { gzip: false },
  );
  writeSubmission(path.join(root, `${EVENT}-submission.csv`), {
    hitId: new Uint32Array([60, 10, 20, 30, 40, 50]),
    trackId: new BigInt64Array([-1n, 9n, 9n, 9n, 2n ** 40n, 2n ** 40n]),
  });
  // Graph nodes: hits 10, 20, 30, 40, 50 (not 60); edges in file order with scores 0.2, 0.9, 0.5, 0.9.
  const g: Graph = {
    eventId: EVENT,
    hitId: new Uint32Array([10, 20, 30, 40, 50]),
    volumeId: new Uint8Array(5).fill(8),
    layer: new Uint8Array([0, 1, 2, 0, 1]),
    nodeFeatures: new Float32Array(5 * NODE_FEATURES),
    src: new Uint32Array([1, 0, 3, 0]),
    dst: new Uint32Array([2, 1, 4, 3]),
    edgeFeatures: new Float32Array(4 * EDGE_FEATURES),
    y: new Uint8Array([1, 1, 1, 0]),
  };
  const bytes = graphToArrow(g);
  writeFileSync(path.join(root, 'graphs', `${EVENT}-nodes.arrow`), bytes.nodes);
  writeFileSync(path.join(root, 'graphs', `${EVENT}-edges.arrow`), bytes.edges);
  writeFileSync(
    path.join(root, 'scores', `${EVENT}-edge-scores.arrow`),
    tableToIPC(tableFromArrays({ src: g.src, dst: g.dst, score: new Float32Array([0.2, 0.9, 0.5, 0.9]) }), 'file'),
  );
  server = await startViewerServer({ inputDir: root, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

describe('viewer server: only files of DIR', () => {
  it('serves a file of DIR byte for byte', async () => {
    const r = await get(`/files/${EVENT}-hits.csv`);
    expect(r.status).toBe(200);
    expect(r.body.equals(readFileSync(path.join(root, `${EVENT}-hits.csv`)))).toBe(true);
    expect((await get(`/files/graphs/${EVENT}-nodes.arrow`)).status).toBe(200);
  });

  it.each([
    ['/files/../secret.txt', 403],
    ['/files/graphs/../../secret.txt', 403],
    ['/files/%2e%2e/secret.txt', 403],
    ['/files/%2E%2E%2Fsecret.txt', 403],
    ['/files/..%5csecret.txt', 403],
    ['/files//etc/passwd', 403],
    ['/files/%2Fetc%2Fpasswd', 403],
    ['/files/link-out.txt', 403],
    ['/files/%ZZ', 400],
    ['/files/missing.csv', 404],
    ['/files/graphs', 404],
    ['/../package.json', 404],
    ['/package.json', 404],
    ['/api/event/..%2f..%2fsecret/hits.bin', 404],
    ['/api/event/event000000099/hits.bin', 404],
  ])('GET %s → %i, never the secret', async (p, status) => {
    const r = await get(p);
    expect(r.status).toBe(status);
    expect(r.body.toString()).not.toContain('outside the served directory');
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) await expect(get('/api/events', external.address)).rejects.toThrow(/ECONNREFUSED/);
    expect((await get('/api/events')).status).toBe(200);
  });
});

describe('viewer server: binary layers', () => {
  it('lists the event with the layers found in subdirectories', async () => {
    const list = JSON.parse((await get('/api/events')).body.toString()) as { events: { id: string; layers: Record<string, boolean> }[] };
    expect(list.events).toEqual([
      { id: EVENT, layers: { hits: true, truth: true, particles: false, graph: true, scores: true, tracks: true } },
    ]);
  });

  it('hits: columns in the hits file order', async () => {
    const { columns, meta } = unpack((await get(`/api/event/${EVENT}/hits.bin`)).body);
    expect(meta.hits).toBe(6);
    expect([...(columns.hitId as Uint32Array)]).toEqual([10, 20, 30, 40, 50, 60]);
    expect([...(columns.x as Float32Array)]).toEqual([30, 70, 110, 30, 70, 500]);
    expect([...(columns.volumeId as Uint8Array)]).toEqual([8, 8, 8, 8, 8, 14]);
  });

  it('truth: joined to hit rows, exact 64-bit ids, pT and η from the truth momentum', async () => {
    const { columns } = unpack((await get(`/api/event/${EVENT}/truth.bin`)).body);
    expect([...(columns.particleId as BigUint64Array)]).toEqual([5n, 5n, 5n, 2n ** 60n + 7n, 2n ** 60n + 7n, 0n]);
    const p = columns.particle as Int32Array;
    expect(p[0]).toBe(p[1]);
    expect(p[3]).toBe(p[4]);
    expect(p[0]).not.toBe(p[3]);
    expect(p[5]).toBe(-1);
    expect([...(columns.ptGeV as Float32Array)]).toEqual([2, 2, 2, 5, 5, 0]);
    expect([...(columns.nhits as Uint16Array)].slice(0, 5)).toEqual([3, 3, 3, 2, 2]);
  });

  it('graph: edges sorted by descending score (ties keep file order), nodes mapped to hit rows', async () => {
    const { columns, meta } = unpack((await get(`/api/event/${EVENT}/graph.bin`)).body);
    expect(meta).toMatchObject({ nodes: 5, edges: 4, hasScores: true, hasLabels: true });
    expect([...(columns.edgeRow as Uint32Array)]).toEqual([1, 3, 2, 0]);
    expect([...(columns.score as Float32Array)].map((s) => Math.round(s * 10) / 10)).toEqual([0.9, 0.9, 0.5, 0.2]);
    expect([...(columns.src as Uint32Array)]).toEqual([0, 0, 3, 1]);
    expect([...(columns.y as Uint8Array)]).toEqual([1, 0, 1, 1]);
    expect([...(columns.nodeHit as Int32Array)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('tracks: submission track per hit row, 64-bit ids kept', async () => {
    const { columns } = unpack((await get(`/api/event/${EVENT}/tracks.bin`)).body);
    const ht = columns.hitTrack as Int32Array;
    const ids = columns.trackId as BigInt64Array;
    expect([0, 1, 2, 3, 4, 5].map((i) => ids[ht[i]])).toEqual([9n, 9n, 9n, 2n ** 40n, 2n ** 40n, -1n]);
  });

  it('serves the page and a bundle that carries three.js and the scorer', async () => {
    expect((await get('/')).body.toString()).toContain('<canvas id="view">');
    const js = (await get('/app.js')).body.toString();
    expect(js.length).toBeGreaterThan(100_000);
    expect(js).not.toMatch(/from\s*["']node:/);
  });

  it('the bundle is minified (the page loads under half the bytes); unminified on request', async () => {
    const [min, plain] = [(await get('/app.js')).body.toString(), await bundleViewer(false)];
    expect(min.length).toBeLessThan(plain.length / 2);
    expect(plain).toContain('// viewer/app/main.ts'); // esbuild's source markers: kept only unminified
    expect(min).not.toContain('// viewer/app/main.ts');
  });
});

describe('orderByScoreDesc', () => {
  it('sorts descending, stable on ties, NaN and negatives last', () => {
    const s = new Float32Array([0.1, 0.7, NaN, 0.7, 1, 0, -0.5, 0.3]);
    expect([...orderByScoreDesc(s)]).toEqual([4, 1, 3, 7, 0, 2, 5, 6]);
  });
});
