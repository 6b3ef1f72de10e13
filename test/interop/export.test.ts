// Round trips of `npm run export` on a pipeline output (2 small simulated events, truth-derived scores, graphs
// kept): the Kaggle combined CSV scores equal to the per-event submissions through the score CLI; Phoenix JSON
// validated against Phoenix's documented event-data format, every track with ≥ 3 points and perigee parameters,
// its hits the submission's tracks; PyG files read back by an independent reader (CPython's zipfile and pickle,
// test/interop/read_pyg.py) with acorn's field names, dtypes and shapes, and values equal to the files they came from.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreEvent } from '../../scoring/index.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { graphFromArrow } from '../../src/graph/arrow-io.ts';
import { runExport } from '../../src/interop/export.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, readCombinedSubmission, readHits, readSubmission, readTruth, writeEvent } from '../../src/trackml/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const root = tempDir('trackml-export-');
const events = path.join(root, 'events');
const out = path.join(root, 'run');
const IDS = ['event000000001', 'event000000002'];

beforeAll(async () => {
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2]) writeEvent(events, simulateEvent(detector, simulateConfig({ pileup: 3 }), 8, k));
  await runPipeline({ inputDir: events, outputDir: out, config: { scorer: 'truth', truthNoise: 0.3, saveGraphs: true }, progress: false });
}, 300_000);

describe('export --to kaggle', () => {
  it('one combined CSV that reads back as the per-event submissions and scores the same through the score CLI', () => {
    const r = runExport({ to: 'kaggle', input: out });
    expect(r.events).toBe(2);
    const combined = readCombinedSubmission(r.output);
    expect([...combined.keys()]).toEqual(IDS);
    const truthDir = events;
    const cli = spawnSync(process.execPath, cliArgv('score', '--truth', truthDir, '--submission', r.output), {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout.trim().split('\n').pop()!) as { events: { event: string; score: number }[] };
    for (const id of IDS) {
      const sub = readSubmission(path.join(out, `${id}-submission.csv`));
      const c = combined.get(id)!;
      expect([...c.hitId]).toEqual([...sub.hitId]);
      expect([...c.trackId]).toEqual([...sub.trackId]);
      const files = findEvents(events).find((e) => e.eventId === id)!;
      const perEvent = scoreEvent(readTruth(files.truth!), sub).score;
      expect(json.events.find((e) => e.event === id)!.score).toBe(perEvent);
    }
  });
});

type Track = {
  pos: unknown;
  dparams?: unknown;
  color?: unknown;
  phi?: unknown;
  eta?: unknown;
  d0?: unknown;
  z0?: unknown;
  nhits: number;
  particle_id?: string;
};

/** Phoenix's documented event-data format (guides/developers/event_data_format.md): problems, or []. */
function phoenixProblems(json: unknown): string[] {
  const p: string[] = [];
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const triplet = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(num);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return ['top level is not an object of events'];
  for (const [key, ev] of Object.entries(json as Record<string, Record<string, unknown>>)) {
    if (!('event number' in ev) && !('eventNumber' in ev)) p.push(`${key}: no event number`);
    if (!('run number' in ev) && !('runNumber' in ev)) p.push(`${key}: no run number`);
    for (const [type, collections] of Object.entries(ev)) {
      if (typeof collections !== 'object' || collections === null) continue;
      if (!['Tracks', 'Hits', 'Jets', 'CaloClusters', 'CaloCells', 'Vertices', 'MissingEnergy'].includes(type))
        p.push(`${key}: unknown object type ${type}`);
      for (const [name, objects] of Object.entries(collections as Record<string, unknown[]>)) {
        if (!Array.isArray(objects)) {
          p.push(`${key}/${type}/${name}: not a list`);
          continue;
        }
        objects.forEach((o, i) => {
          const where = `${key}/${type}/${name}[${i}]`;
          if (type === 'Hits' && !triplet(o) && !(typeof o === 'object' && triplet((o as { pos: unknown }).pos)))
            p.push(`${where}: not [x, y, z]`);
          if (type !== 'Tracks') return;
          const t = o as Track;
          const pos = Array.isArray(t.pos) ? t.pos : [];
          if (!pos.every(triplet)) p.push(`${where}: pos not a list of [x, y, z]`);
          const dp = Array.isArray(t.dparams) && t.dparams.length === 5 && t.dparams.every(num);
          if (t.dparams !== undefined && !dp) p.push(`${where}: dparams not 5 numbers`);
          if (pos.length < 3 && !dp) p.push(`${where}: fewer than 3 points and no dparams`);
          for (const k of ['phi', 'eta', 'd0', 'z0'] as const) if (t[k] !== undefined && !num(t[k])) p.push(`${where}: ${k} not a number`);
          if (t.color !== undefined && !(typeof t.color === 'string' && /^[0-9a-f]{6}$/i.test(t.color))) p.push(`${where}: color not hex`);
        });
      }
    }
  }
  return p;
}

describe('export --to phoenix', () => {
  it("passes Phoenix's format, every track ≥ 3 points with dparams; its hits are the submission's tracks; truth particles", () => {
    const r = runExport({ to: 'phoenix', input: out });
    const json = JSON.parse(readFileSync(r.output, 'utf8')) as Record<
      string,
      { Hits: { Hits: number[][] }; Tracks: Record<string, Track[]> }
    >;
    expect(phoenixProblems(json)).toEqual([]);
    expect(Object.keys(json)).toEqual(IDS);
    for (const id of IDS) {
      const files = findEvents(events).find((e) => e.eventId === id)!;
      const hits = readHits(files.hits!);
      const sub = readSubmission(path.join(out, `${id}-submission.csv`));
      const ev = json[id];
      expect(ev.Hits.Hits.length).toBe(hits.hitId.length);
      const tracks = ev.Tracks['Tracks (pipeline)'];
      // Tracks with ≥ 2 hits in the submission, and their sizes.
      const size = new Map<bigint, number>();
      for (const t of sub.trackId) size.set(t, (size.get(t) ?? 0) + 1);
      const sizes = [...size.values()].filter((n) => n >= 2).sort((a, b) => a - b);
      expect(tracks.map((t) => t.nhits).sort((a, b) => a - b)).toEqual(sizes);
      for (const t of tracks) expect((t.pos as unknown[]).length).toBe(t.nhits + 1);
      // Each track's hit positions (after its perigee) are the hits of one submission track.
      const key = (x: number, y: number, z: number) => `${Math.round(x * 1000)},${Math.round(y * 1000)},${Math.round(z * 1000)}`;
      const trackOfPos = new Map<string, bigint>();
      for (let i = 0; i < hits.hitId.length; i++)
        trackOfPos.set(key(hits.x[i], hits.y[i], hits.z[i]), sub.trackId[sub.hitId.indexOf(hits.hitId[i])]);
      for (const t of tracks.slice(0, 200)) {
        const owners = new Set((t.pos as number[][]).slice(1).map((p) => trackOfPos.get(key(p[0], p[1], p[2]))));
        expect(owners.size).toBe(1);
      }
      const truth = ev.Tracks['Truth particles'];
      expect(truth.length).toBeGreaterThan(0);
      expect(truth.every((t) => typeof t.particle_id === 'string')).toBe(true);
    }
  });
});

describe('export --to pyg', () => {
  const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)(
    "files an acorn stage can read: acorn's field names, dtypes and shapes, values equal to the sources (independent reader)",
    () => {
      const r = runExport({ to: 'pyg', input: out });
      for (const id of IDS) {
        const file = path.join(r.output, `${id}-graph.pyg`);
        const py = spawnSync('python3', [path.join(repoRoot, 'test', 'interop', 'read_pyg.py'), file], {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        });
        expect(py.status, py.stderr).toBe(0);
        const s = JSON.parse(py.stdout) as {
          keys: string[];
          checks: Record<string, boolean>;
          fields: Record<string, { dtype: string; shape: number[]; values: unknown }>;
        };
        expect(s.keys).toEqual([
          'config',
          'edge_index',
          'eta',
          'eta_particle',
          'event_id',
          'hit_id',
          'labels',
          'layer_id',
          'module_id',
          'nhits',
          'particle_id',
          'pdgId',
          'phi',
          'primary',
          'pt',
          'r',
          'radius',
          'scores',
          'track_edges',
          'truth_map',
          'volume_id',
          'weight',
          'x',
          'y',
          'z',
        ]);
        expect(Object.values(s.checks).every(Boolean), JSON.stringify(s.checks)).toBe(true);
        const f = s.fields;
        const files = findEvents(events).find((e) => e.eventId === id)!;
        const hits = readHits(files.hits!);
        const n = hits.hitId.length;
        const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hits.hitId[a] - hits.hitId[b]);
        expect(f.hit_id).toMatchObject({ dtype: 'int64', shape: [n] });
        expect(f.hit_id.values).toEqual(order.map((i) => hits.hitId[i]));
        expect(f.x.values).toEqual(order.map((i) => hits.x[i]));
        expect(f.y).toMatchObject({ dtype: 'bool' });
        const graph = graphFromArrow(readFileSync(path.join(out, `${id}-nodes.arrow`)), readFileSync(path.join(out, `${id}-edges.arrow`)));
        const m = graph.src.length;
        expect(f.edge_index).toMatchObject({ dtype: 'int64', shape: [2, m] });
        const nodeOfHit = new Map(order.map((row, k) => [hits.hitId[row], k]));
        const ei = f.edge_index.values as number[][];
        for (let e = 0; e < m; e++)
          expect([ei[0][e], ei[1][e]]).toEqual([nodeOfHit.get(graph.hitId[graph.src[e]]), nodeOfHit.get(graph.hitId[graph.dst[e]])]);
        const scores = tableFromIPC(readFileSync(path.join(out, `${id}-edge-scores.arrow`)))
          .getChild('score')!
          .toArray() as Float32Array;
        expect(f.scores).toMatchObject({ dtype: 'float32', shape: [m] });
        expect(f.scores.values).toEqual([...scores]);
        const T = (f.track_edges.shape as number[])[1];
        for (const k of ['particle_id', 'pt', 'radius', 'primary', 'nhits', 'pdgId', 'eta_particle', 'truth_map'])
          expect(f[k].shape, k).toEqual([T]);
        expect(f.event_id).toBe(id.slice('event'.length));
      }
    },
  );
});

describe('export CLI', () => {
  it('a folder without submissions is one line, exit 2', () => {
    const r = spawnSync(process.execPath, cliArgv('export', '--to', 'kaggle', '--input', events), { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no eventNNNNNNNNN-submission\.csv here/);
    rmSync(path.join(root, 'nothing'), { force: true });
  });
});
