// What the viewer finds in a folder and the metadata of each layer pack, on hand-made files (fast, no server):
// the scan's depth, file kinds, first-file-wins and hidden folders; which layers an event offers; the threshold and
// score a pipeline recorded; the detector's source. (Mutation testing found these unchecked by the server tests.)
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { provenanceFileName } from '../../src/core/run-files.ts';
import { graphToArrow } from '../../src/graph/arrow-io.ts';
import { EDGE_FEATURES, NODE_FEATURES } from '../../src/graph/graph.ts';
import { writeEvent, writeSubmission } from '../../src/trackml/index.ts';
import type { Hits } from '../../src/trackml/types.ts';
import { unpackColumns } from '../../viewer/shared/binary.ts';
import { detectorPack, graphPack, layersOf, pipelineRecord, scanEventDir, tracksPack, truthPack } from '../../viewer/server/event-data.ts';
import { tempDir } from '../real-data.ts';

const A = 'event000000001';
const B = 'event000000002';
const C = 'event000000003';

function hits(n = 2): Hits {
  return {
    hitId: Uint32Array.from({ length: n }, (_, i) => i + 1),
    x: new Float32Array(n).fill(30),
    y: new Float32Array(n),
    z: new Float32Array(n),
    volumeId: new Uint8Array(n).fill(8),
    layerId: new Uint8Array(n).fill(2),
    moduleId: new Uint16Array(n).fill(1),
  };
}
const meta = (bytes: Uint8Array) => unpackColumns(new Uint8Array(bytes).buffer).meta;

describe('scanEventDir', () => {
  it('finds each kind of file (plain or gzip) down to two folder levels, not deeper, not in hidden folders', () => {
    const root = tempDir('viewer-scan-');
    writeEvent(root, { eventId: A, hits: hits() }, { gzip: true });
    for (const [dir, name] of [
      ['graphs', `${A}-nodes.arrow`],
      ['graphs', `${A}-edges.arrow`],
      ['stage/scores', `${A}-edge-scores.arrow`],
      ['.cache', `${A}-particles.csv`],
      ['node_modules', `${A}-truth.csv`],
      ['a/b/c', `${A}-submission.csv`],
      ['', `${A}-record.json`],
      ['', `${A}-truth.csv.gz`],
      ['', `${A}-particles.csv`],
      ['', `${B}-submission.csv.gz`],
      ['', `${A}-hits.csv.bak`],
    ]) {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, name), '');
    }
    const events = scanEventDir(root);
    expect([...events.keys()]).toEqual([A]); // B has no hits
    const a = events.get(A)!;
    expect(path.relative(root, a.hits!)).toBe(`${A}-hits.csv.gz`);
    expect(path.relative(root, a.nodes!)).toBe(`graphs/${A}-nodes.arrow`);
    expect(path.relative(root, a.edges!)).toBe(`graphs/${A}-edges.arrow`);
    expect(path.relative(root, a.scores!)).toBe(`stage/scores/${A}-edge-scores.arrow`);
    expect(path.relative(root, a.truth!)).toBe(`${A}-truth.csv.gz`);
    expect(path.relative(root, a.particles!)).toBe(`${A}-particles.csv`);
    expect(path.relative(root, a.record!)).toBe(`${A}-record.json`);
    expect(a.submission).toBeUndefined(); // three levels down
    expect(path.relative(root, scanEventDir(root, true).get(B)!.submission!)).toBe(`${B}-submission.csv.gz`);
  });

  it('the first file of a kind wins: the shallowest, then by name; events sorted by id', () => {
    const root = tempDir('viewer-scan-');
    for (const id of [C, A]) writeEvent(root, { eventId: id, hits: hits() }, { gzip: false });
    for (const dir of ['x', 'y', 'x/deep']) {
      mkdirSync(path.join(root, dir), { recursive: true });
      writeFileSync(path.join(root, dir, `${A}-submission.csv`), '');
      writeFileSync(path.join(root, dir, `${C}-nodes.arrow`), '');
    }
    writeFileSync(path.join(root, `${C}-submission.csv`), '');
    const events = scanEventDir(root);
    expect([...events.keys()]).toEqual([A, C]);
    expect(path.relative(root, events.get(A)!.submission!)).toBe(`x/${A}-submission.csv`);
    expect(path.relative(root, events.get(C)!.nodes!)).toBe(`x/${C}-nodes.arrow`);
    expect(path.relative(root, events.get(C)!.submission!)).toBe(`${C}-submission.csv`);
  });

  it('a symlink out of the folder is not followed; a missing folder is a user error naming it', () => {
    const root = tempDir('viewer-scan-');
    const outside = tempDir('viewer-outside-');
    writeEvent(outside, { eventId: A, hits: hits() }, { gzip: false });
    symlinkSync(path.join(outside, `${A}-hits.csv`), path.join(root, `${A}-hits.csv`));
    symlinkSync(outside, path.join(root, 'linked'));
    expect(scanEventDir(root).size).toBe(0);
    const missing = path.join(root, 'nope');
    expect(() => scanEventDir(missing)).toThrow(InputError);
    expect(() => scanEventDir(missing)).toThrow(missing);
    writeFileSync(path.join(root, 'file'), '');
    expect(() => scanEventDir(path.join(root, 'file'))).toThrow(InputError);
  });
});

describe('layersOf', () => {
  it('offers a layer only when its files are there (scores need the graph too)', () => {
    const e = { eventId: A, hits: 'h' };
    expect(layersOf(e)).toEqual({ hits: true, truth: false, particles: false, graph: false, scores: false, tracks: false });
    expect(layersOf({ ...e, truth: 't', particles: 'p', nodes: 'n', edges: 'e', scores: 's', submission: 'u' })).toEqual({
      hits: true,
      truth: true,
      particles: true,
      graph: true,
      scores: true,
      tracks: true,
    });
    expect(layersOf({ ...e, nodes: 'n', scores: 's' })).toMatchObject({ graph: false, scores: false });
    expect(layersOf({ ...e, edges: 'e', scores: 's' })).toMatchObject({ graph: false, scores: false });
    expect(layersOf({ ...e, nodes: 'n', edges: 'e' })).toMatchObject({ graph: true, scores: false });
  });
});

describe('layer packs: what the page is told beside the columns', () => {
  it("tracks: the pipeline's threshold and score from the record beside the submission only", () => {
    const root = tempDir('viewer-packs-');
    writeEvent(root, { eventId: A, hits: hits() }, { gzip: false });
    const submission = path.join(root, `${A}-submission.csv`);
    writeSubmission(submission, { hitId: new Uint32Array([1, 2]), trackId: new BigInt64Array([5n, 5n]) });
    const record = path.join(root, `${A}-record.json`);
    writeFileSync(record, JSON.stringify({ threshold: 0.42, truth: { score: 0.875 } }));
    const e = { eventId: A, hits: path.join(root, `${A}-hits.csv`), submission, record };
    expect(meta(tracksPack(e))).toEqual({
      eventId: A,
      tracks: 1,
      file: `${A}-submission.csv`,
      pipeline: { threshold: 0.42, score: 0.875 },
    });
    mkdirSync(path.join(root, 'elsewhere'));
    const away = path.join(root, 'elsewhere', `${A}-record.json`);
    writeFileSync(away, JSON.stringify({ threshold: 0.42 }));
    expect(meta(tracksPack({ ...e, record: away })).pipeline).toBeUndefined();
    expect(() => tracksPack({ eventId: A, hits: e.hits })).toThrow(InputError);
  });

  it('pipelineRecord: finite numbers only; an unreadable record is no record', () => {
    const root = tempDir('viewer-packs-');
    const f = path.join(root, 'r.json');
    writeFileSync(f, JSON.stringify({ threshold: 'high', truth: { score: null } }));
    expect(pipelineRecord(f)).toEqual({ threshold: undefined, score: undefined });
    writeFileSync(f, JSON.stringify({ threshold: 0.5 }));
    expect(pipelineRecord(f)).toEqual({ threshold: 0.5, score: undefined });
    writeFileSync(f, '{ not json');
    expect(pipelineRecord(f)).toBeUndefined();
    expect(pipelineRecord(path.join(root, 'missing.json'))).toBeUndefined();
  });

  it('graph: the threshold stage:infer recorded beside the scores; none without scores or provenance', () => {
    const root = tempDir('viewer-packs-');
    writeEvent(root, { eventId: A, hits: hits(3) }, { gzip: false });
    const bytes = graphToArrow({
      eventId: A,
      hitId: new Uint32Array([1, 2, 3]),
      volumeId: new Uint8Array(3).fill(8),
      layer: new Uint8Array([0, 1, 2]),
      nodeFeatures: new Float32Array(3 * NODE_FEATURES),
      src: new Uint32Array([0, 1]),
      dst: new Uint32Array([1, 2]),
      edgeFeatures: new Float32Array(2 * EDGE_FEATURES),
    });
    const e = { eventId: A, hits: path.join(root, `${A}-hits.csv`), nodes: path.join(root, 'n.arrow'), edges: path.join(root, 'e.arrow') };
    writeFileSync(e.nodes, bytes.nodes);
    writeFileSync(e.edges, bytes.edges);
    expect(meta(graphPack(e))).toEqual({ eventId: A, nodes: 3, edges: 2, hasScores: false, hasLabels: false, threshold: undefined });
    mkdirSync(path.join(root, 'scores'));
    const scores = path.join(root, 'scores', `${A}-edge-scores.arrow`);
    writeFileSync(
      scores,
      tableToIPC(
        tableFromArrays({ src: new Uint32Array([0, 1]), dst: new Uint32Array([1, 2]), score: new Float32Array([0.9, 0.1]) }),
        'file',
      ),
    );
    expect(meta(graphPack({ ...e, scores }))).toEqual({ eventId: A, nodes: 3, edges: 2, hasScores: true, hasLabels: false });
    writeFileSync(path.join(root, 'scores', provenanceFileName('infer')), JSON.stringify({ config: { threshold: 0.37 } }));
    expect(meta(graphPack({ ...e, scores }))).toMatchObject({ hasScores: true, threshold: 0.37 });
    writeFileSync(path.join(root, 'scores', provenanceFileName('infer')), JSON.stringify({ config: { threshold: '0.37' } }));
    expect(meta(graphPack({ ...e, scores })).threshold).toBeUndefined();
    expect(() => graphPack({ eventId: A, hits: e.hits, nodes: e.nodes })).toThrow(InputError);
  });

  it('truth: says whether particles were read; no truth file is a user error', () => {
    const root = tempDir('viewer-packs-');
    writeEvent(root, { eventId: A, hits: hits() }, { gzip: false });
    const truth = path.join(root, `${A}-truth.csv`);
    writeFileSync(truth, 'hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,7,0,0,0,1,0,0,0.5\n2,7,0,0,0,1,0,0,0.5\n');
    const e = { eventId: A, hits: path.join(root, `${A}-hits.csv`), truth };
    expect(meta(truthPack(e))).toEqual({ eventId: A, particles: 1, fromParticles: false });
    const particles = path.join(root, `${A}-particles.csv`);
    writeFileSync(particles, 'particle_id,vx,vy,vz,px,py,pz,q,nhits\n7,0,0,0,1,0,0,1,2\n');
    expect(meta(truthPack({ ...e, particles })).fromParticles).toBe(true);
    expect(() => truthPack({ eventId: A, hits: e.hits })).toThrow(InputError);
  });

  it('detector: names the file it read, or the built-in layer table', () => {
    expect(meta(detectorPack(undefined)).source).toBe('built-in layer table');
  });
});
