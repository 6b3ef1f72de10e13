// TrackML I/O speed on a full-size event (~110 k hits): the sample event tiled 20× with fresh hit and particle
// ids, as .csv.gz and .csv. Times reading hits+truth+particles with our byte parser, with papaparse feeding the
// same typed arrays, and with pandas read_csv (Debian python3-pandas at /usr/bin/python3) when installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import type { Column, ColumnSpec } from '../src/trackml/csv.ts';
import { readInputBytes } from '../src/trackml/input-file.ts';
import {
  decodeParticleId,
  encodeParticleId,
  hitRowLookup,
  readHits,
  readParticles,
  readTruth,
  writeHits,
  writeParticles,
  writeTruth,
  type Hits,
  type Particles,
  type Truth,
} from '../src/trackml/index.ts';
import { HITS_COLUMNS, PARTICLES_COLUMNS, TRUTH_COLUMNS } from '../src/trackml/read.ts';
import { sharedDataDir, timeIt, writeResult } from './lib.ts';

const TILES = 20;
const REPEATS = 7;

type Arr = { length: number; [i: number]: number | bigint };

function tile<T extends object>(
  src: T,
  tiles: number,
  remap: (key: string, v: number | bigint, k: number, row: number) => number | bigint,
): T {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(src) as [string, Arr | undefined][]) {
    if (col === undefined) {
      out[key] = undefined;
      continue;
    }
    const n = col.length;
    const Ctor = (col as unknown as { constructor: new (n: number) => Arr }).constructor;
    const dst = new Ctor(n * tiles);
    for (let k = 0; k < tiles; k++) for (let i = 0; i < n; i++) dst[k * n + i] = remap(key, col[i], k, i);
    out[key] = dst;
  }
  return out as T;
}

/** Tile k gets vertex ids shifted by 200·k (the sample's largest is < 200), so particle ids stay unique. */
function shiftParticle(id: bigint, k: number): bigint {
  if (id === 0n) return 0n;
  const parts = decodeParticleId(id);
  return encodeParticleId({ ...parts, vertexId: parts.vertexId + 200 * k });
}

function buildFullEvent(dir: string): { hits: number; files: Record<'gz' | 'csv', string[]> } {
  const ev = path.join(sharedDataDir, 'sample-event', 'event000000001-');
  const hits = readHits(`${ev}hits.csv.gz`);
  const truth = readTruth(`${ev}truth.csv.gz`);
  const particles = readParticles(`${ev}particles.csv.gz`);
  const n = hits.hitId.length;
  // Hit ids become 1..N in file order, like an original full event.
  const rowOf = hitRowLookup(hits.hitId);
  const newHitId = (id: number, k: number) => k * n + rowOf(id) + 1;
  const bigHits = tile<Hits>(hits, TILES, (key, v, k) => (key === 'hitId' ? newHitId(v as number, k) : v));
  const bigTruth = tile<Truth>(truth, TILES, (key, v, k) =>
    key === 'hitId' ? newHitId(v as number, k) : key === 'particleId' ? shiftParticle(v as bigint, k) : v,
  );
  // Weights are per event: split them over the tiles so they still sum to ~1, kept to the official files'
  // 6 significant digits so the text (and so the parse cost) looks like a real event's.
  for (let i = 0; i < bigTruth.weight.length; i++) bigTruth.weight[i] = Number((bigTruth.weight[i] / TILES).toPrecision(6));
  const bigParticles = tile<Particles>(particles, TILES, (key, v, k) => (key === 'particleId' ? shiftParticle(v as bigint, k) : v));
  const files: Record<'gz' | 'csv', string[]> = { gz: [], csv: [] };
  for (const ext of ['csv', 'gz'] as const) {
    const suffix = ext === 'gz' ? '.csv.gz' : '.csv';
    const names = ['hits', 'truth', 'particles'].map((kind) => path.join(dir, `event000000001-${kind}${suffix}`));
    writeHits(names[0], bigHits);
    writeTruth(names[1], bigTruth);
    writeParticles(names[2], bigParticles);
    files[ext] = names;
  }
  return { hits: bigHits.hitId.length, files };
}

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function ourRead(files: string[]): number {
  return readHits(files[0]).hitId.length + readTruth(files[1]).hitId.length + readParticles(files[2]).particleId.length;
}

/** The same job through papaparse: strings per field, then Number/BigInt into the same typed arrays. */
function papaColumns(file: string, specs: readonly ColumnSpec[]): Column[] {
  const text = Buffer.from(readInputBytes(file)).toString('latin1');
  const rows = Papa.parse<string[]>(text, { fastMode: true, skipEmptyLines: true }).data;
  const header = rows[0];
  const n = rows.length - 1;
  return header.map((name, f) => {
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) throw new Error(`unexpected column ${name}`);
    const big = spec.kind === 'u64' || spec.kind === 'i64';
    const col: Arr = big
      ? new BigUint64Array(n)
      : spec.kind === 'f32'
        ? new Float32Array(n)
        : spec.kind === 'f64'
          ? new Float64Array(n)
          : new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const t = rows[r + 1][f];
      col[r] = big ? BigInt(t) : Number(t);
    }
    return col as unknown as Column;
  });
}

function papaRead(files: string[]): number {
  return (
    papaColumns(files[0], HITS_COLUMNS)[0].length +
    papaColumns(files[1], TRUTH_COLUMNS)[0].length +
    papaColumns(files[2], PARTICLES_COLUMNS)[0].length
  );
}

// pandas reads the same three files with the same dtypes; it runs as one long-lived process that times one
// read per request, so its rounds interleave with ours and all see the same machine load.
const PANDAS_SCRIPT = String.raw`
import json, sys, time
import numpy as np, pandas as pd
files = json.loads(sys.argv[1])
dt = {
  'hits': {'hit_id': np.uint32, 'x': np.float32, 'y': np.float32, 'z': np.float32, 'volume_id': np.uint8, 'layer_id': np.uint8, 'module_id': np.uint16},
  'truth': {'hit_id': np.uint32, 'particle_id': np.uint64, 'tx': np.float32, 'ty': np.float32, 'tz': np.float32, 'tpx': np.float32, 'tpy': np.float32, 'tpz': np.float32, 'weight': np.float64},
  'particles': {'particle_id': np.uint64, 'particle_type': np.int32, 'vx': np.float32, 'vy': np.float32, 'vz': np.float32, 'px': np.float32, 'py': np.float32, 'pz': np.float32, 'q': np.int8, 'nhits': np.uint16},
}
print(json.dumps({'version': pd.__version__}), flush=True)
for line in sys.stdin:
  ext = line.strip()
  t = time.perf_counter()
  for kind, f in zip(['hits', 'truth', 'particles'], files[ext]):
    pd.read_csv(f, dtype=dt[kind])
  print(json.dumps({'ms': (time.perf_counter() - t) * 1000}), flush=True)
`;

/** A running pandas process: `time(ext)` → ms for one read of the three files; undefined when pandas is absent. */
async function startPandas(
  files: Record<string, string[]>,
): Promise<{ version: string; time: (ext: string) => Promise<number>; stop: () => void } | string> {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return 'no /usr/bin/python3';
  const child = spawn(py, ['-c', PANDAS_SCRIPT, JSON.stringify(files)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const iter = lines[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const next = async (): Promise<Record<string, unknown> | undefined> => {
    const r = await iter.next();
    return r.done ? undefined : (JSON.parse(r.value) as Record<string, unknown>);
  };
  const hello = await next();
  if (hello === undefined) return `pandas unavailable: ${stderr.trim().split('\n').pop()}`;
  return {
    version: String(hello.version),
    time: async (ext) => {
      child.stdin.write(`${ext}\n`);
      const r = await next();
      if (r === undefined) throw new Error(`pandas process died: ${stderr}`);
      return r.ms as number;
    },
    stop: () => {
      child.stdin.end();
      lines.close();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trackml-io-bench-'));
  try {
    const tBuild = performance.now();
    const { hits, files } = buildFullEvent(dir);
    const buildMs = performance.now() - tBuild;
    const sizes = Object.fromEntries((['gz', 'csv'] as const).map((ext) => [ext, files[ext].reduce((s, f) => s + statSync(f).size, 0)]));
    console.log(`full event: ${hits} hits; built and written (.csv + .csv.gz) in ${buildMs.toFixed(0)} ms`);

    const result: Record<string, unknown> = { hits, tiles: TILES, repeats: REPEATS, bytes: sizes };
    const gunzipMs = (await timeIt(() => files.gz.forEach((f) => gunzipSync(readFileSync(f))), REPEATS)).minMs;
    result.gunzipOnlyMs = gunzipMs;

    const pandas = await startPandas(files);
    if (typeof pandas === 'string') console.log(pandas);
    const readers: [string, (ext: 'gz' | 'csv') => Promise<number>][] = [
      ['ours', async (ext) => timed(() => ourRead(files[ext]))],
      ['papaparse', async (ext) => timed(() => papaRead(files[ext]))],
    ];
    if (typeof pandas !== 'string') readers.push(['pandas', (ext) => pandas.time(ext)]);
    // Rounds interleave every reader so a busy machine slows them alike; the min over rounds is reported.
    const times: Record<string, number[]> = {};
    for (let round = 0; round <= REPEATS; round++) {
      for (const ext of ['gz', 'csv'] as const) {
        for (const [name, fn] of readers) {
          const ms = await fn(ext);
          if (round > 0) (times[`${name}_${ext}`] ??= []).push(ms); // round 0 warms up (JIT, page cache)
        }
      }
    }
    if (typeof pandas !== 'string') pandas.stop();
    result.pandasVersion = typeof pandas === 'string' ? pandas : pandas.version;
    for (const [key, list] of Object.entries(times)) {
      list.sort((a, b) => a - b);
      const minMs = list[0];
      const medianMs = list[Math.floor(list.length / 2)];
      const hitsPerS = Math.round(hits / (minMs / 1000));
      result[key] = { minMs, medianMs, hitsPerS };
      console.log(
        `${key.padEnd(14)} hits+truth+particles: min ${minMs.toFixed(1)} ms, median ${medianMs.toFixed(1)} ms, ${(hitsPerS / 1e6).toFixed(2)} M hits/s`,
      );
    }

    // Writing (the simulator's path): informational.
    const h = readHits(files.gz[0]);
    const tr = readTruth(files.gz[1]);
    const wcsv = await timeIt(() => {
      writeHits(path.join(dir, 'w-hits.csv'), h);
      writeTruth(path.join(dir, 'w-truth.csv'), tr);
    }, 3);
    const wgz = await timeIt(() => {
      writeHits(path.join(dir, 'w-hits.csv.gz'), h);
      writeTruth(path.join(dir, 'w-truth.csv.gz'), tr);
    }, 3);
    result.write_hits_truth = { csvMinMs: wcsv.minMs, gzMinMs: wgz.minMs };
    console.log(`write hits+truth: .csv min ${wcsv.minMs.toFixed(0)} ms, .csv.gz min ${wgz.minMs.toFixed(0)} ms`);
    console.log(`wrote ${writeResult('io', result)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
