// Bad graph and edge-score files name the file at fault (issue 22, row 13): a truncated edges file is the edges
// file's error (it used to be blamed on nodes.arrow), edges past the node table, NaN or out-of-range edge scores.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { edgeScoresFromArrow, graphFromArrow, graphToArrow } from '../../src/graph/arrow-io.ts';
import { EDGE_FEATURES, NODE_FEATURES, type Graph } from '../../src/graph/graph.ts';

const graph: Graph = {
  eventId: 'event000000001',
  hitId: new Uint32Array([10, 20, 30]),
  volumeId: new Uint8Array(3).fill(8),
  layer: new Uint8Array([0, 1, 2]),
  nodeFeatures: new Float32Array(3 * NODE_FEATURES),
  src: new Uint32Array([0, 1]),
  dst: new Uint32Array([1, 2]),
  edgeFeatures: new Float32Array(2 * EDGE_FEATURES),
  y: new Uint8Array([1, 0]),
};
const bytes = graphToArrow(graph);
const files = { nodes: '/data/event000000001-nodes.arrow', edges: '/data/event000000001-edges.arrow' };

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError, got none');
}

describe('graph files', () => {
  it('reads a good pair', () => {
    expect([...graphFromArrow(bytes.nodes, bytes.edges, files).dst]).toEqual([1, 2]);
  });

  it.each([
    ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 30)],
    ['cut in half', (b: Uint8Array) => b.subarray(0, b.length >> 1)],
    ['not Arrow', () => new TextEncoder().encode('hit_id,x\n1,2\n')],
  ])('%s edges file: blamed on the edges file', (_what, spoil) => {
    const e = inputError(() => graphFromArrow(bytes.nodes, spoil(bytes.edges), files));
    expect(e.file).toBe(files.edges);
    expect(e.reason).toMatch(/^not a readable Arrow file/);
  });

  it('truncated nodes file: blamed on the nodes file', () => {
    expect(inputError(() => graphFromArrow(bytes.nodes.subarray(0, 100), bytes.edges, files)).file).toBe(files.nodes);
  });

  it('edges of another graph (node rows past the node table) name both files', () => {
    const small = graphToArrow({
      ...graph,
      hitId: graph.hitId.slice(0, 2),
      volumeId: graph.volumeId.slice(0, 2),
      layer: graph.layer.slice(0, 2),
      nodeFeatures: graph.nodeFeatures.slice(0, 2 * NODE_FEATURES),
    });
    const e = inputError(() => graphFromArrow(small.nodes, bytes.edges, files));
    expect(e.file).toBe(files.edges);
    expect(e.reason).toBe(`edge 1 joins node rows 1 → 2, but ${files.nodes} has 2 nodes: not the same graph`);
  });

  it('a table that is not a graph: format named, file named', () => {
    const other = tableToIPC(tableFromArrays({ src: new Uint32Array([0]) }), 'file');
    const e = inputError(() => graphFromArrow(bytes.nodes, other, files));
    expect([e.file, e.reason]).toEqual([files.edges, 'format missing, expected trackml-gnn-graph/1']);
  });
});

describe('edge-score files', () => {
  const scoresFile = '/data/event000000001-edge-scores.arrow';
  const scores = (s: number[]) => tableToIPC(tableFromArrays({ src: graph.src, dst: graph.dst, score: new Float32Array(s) }), 'file');

  it('reads scores in [0, 1], the ends included', () => {
    expect([...edgeScoresFromArrow(scores([0, 1]), scoresFile, 2)]).toEqual([0, 1]);
  });

  it.each([
    [[0.5, NaN], 'edge 1: score NaN is not in [0, 1]'],
    [[-0.25, 0.5], 'edge 0: score -0.25 is not in [0, 1]'],
    [[0.5, 1.5], 'edge 1: score 1.5 is not in [0, 1]'],
    [[0.5, Infinity], 'edge 1: score Infinity is not in [0, 1]'],
  ])('%j is refused: %s', (s, reason) => {
    const e = inputError(() => edgeScoresFromArrow(scores(s), scoresFile, 2));
    expect([e.file, e.reason]).toEqual([scoresFile, reason]);
  });

  it('a count other than the graph edges, a missing or non-float32 column, a truncated file', () => {
    expect(inputError(() => edgeScoresFromArrow(scores([0.5, 0.5]), scoresFile, 3)).reason).toBe(
      '2 scores for 3 graph edges: graph and scores are from different runs',
    );
    const noScore = tableToIPC(tableFromArrays({ src: graph.src }), 'file');
    expect(inputError(() => edgeScoresFromArrow(noScore, scoresFile, 1)).reason).toBe('not an edge-score file: no float32 column "score"');
    const f64 = tableToIPC(tableFromArrays({ score: new Float64Array([0.5]) }), 'file');
    expect(inputError(() => edgeScoresFromArrow(f64, scoresFile, 1)).reason).toBe('not an edge-score file: no float32 column "score"');
    const good = scores([0.5, 0.5]);
    expect(inputError(() => edgeScoresFromArrow(good.subarray(0, good.length - 8), scoresFile, 2)).file).toBe(scoresFile);
  });
});
