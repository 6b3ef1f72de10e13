// Arrow round trips (graph and module map), the graphology view, and the module-map builder on hand hits.
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { graphFromArrow, graphToArrow, moduleMapFromArrow, moduleMapToArrow } from '../../src/graph/arrow-io.ts';
import { buildGraph, selectNodes } from '../../src/graph/build.ts';
import { graphConfig } from '../../src/graph/config.ts';
import { toGraphology } from '../../src/graph/graphology.ts';
import { buildLayerModel, PIXEL_VOLUMES } from '../../src/graph/layers.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { ModuleMapLearner, type ModuleLookup } from '../../src/graph/module-map.ts';
import { computeNodeTruth } from '../../src/graph/truth.ts';
import type { TrackmlEvent } from '../../src/trackml/types.ts';
import { handEvent, helixHits, layer, PIXEL_LAYERS } from './helpers.ts';

const model = buildLayerModel(PIXEL_LAYERS, PIXEL_VOLUMES);
const track = (phi0: number, pid: bigint) =>
  helixHits([layer(8, 2), layer(8, 4), layer(8, 6), layer(9, 2), layer(9, 4)], 1.5, 1, phi0, 4.1, 0, pid);

/** One module (id 1) per hand layer: module row = position in PIXEL_LAYERS. */
const modules: ModuleLookup = {
  moduleCount: PIXEL_LAYERS.length,
  moduleIndexOf: (v, l, m) => (m === 1 ? PIXEL_LAYERS.findIndex((p) => p.volumeId === v && p.layerId === l) : -1),
  volumeId: Uint8Array.from(PIXEL_LAYERS, (p) => p.volumeId),
  layerId: Uint8Array.from(PIXEL_LAYERS, (p) => p.layerId),
  moduleId: Uint16Array.from(PIXEL_LAYERS, () => 1),
};

function moduleRows(ev: TrackmlEvent, hitRow: Uint32Array): Int32Array {
  return Int32Array.from(hitRow, (i) => modules.moduleIndexOf(ev.hits.volumeId[i], ev.hits.layerId[i], ev.hits.moduleId[i]));
}

describe('graph Arrow files', () => {
  it('round-trips every column, truth and labels included', () => {
    const ev = handEvent(
      [...track(0.3, 1n), ...track(-1, 2n)],
      [
        { id: 1n, ptGeV: 1.5 },
        { id: 2n, ptGeV: 1.5 },
      ],
    );
    ev.truth!.particleId[9] = 2n ** 63n + 5n; // a particle id above 2^63 must survive exactly
    ev.particles!.particleId[1] = 2n ** 63n + 5n;
    for (let i = 5; i < 9; i++) ev.truth!.particleId[i] = 2n ** 63n + 5n;
    const g = buildGraph(ev, { model }, graphConfig());
    expect(g.src.length).toBeGreaterThan(0);
    const bytes = graphToArrow(g);
    const back = graphFromArrow(bytes.nodes, bytes.edges);
    expect(back).toEqual(g);
    // Readable as plain tables with named columns (what pyarrow/pandas see).
    const edges = tableFromIPC(bytes.edges);
    expect(edges.schema.fields.map((f) => f.name)).toEqual(['src', 'dst', 'dr', 'dphi', 'dz', 'deta', 'dR', 'y']);
    expect(tableFromIPC(bytes.nodes).schema.metadata.get('event_id')).toBe('event000000042');
  });

  it('converts to graphology keyed by hit id', () => {
    const ev = handEvent(track(0.3, 1n), [{ id: 1n, ptGeV: 1.5 }]);
    const g = buildGraph(ev, { model }, graphConfig());
    const gg = toGraphology(g);
    expect(gg.order).toBe(5);
    expect(gg.size).toBe(g.src.length);
    expect(gg.hasDirectedEdge('1000', '1001')).toBe(true);
    expect(gg.getNodeAttribute('1003', 'rank')).toBe(3);
  });
});

describe('module map', () => {
  const train = handEvent(
    [...track(0.3, 1n), ...track(0.32, 2n)],
    [
      { id: 1n, ptGeV: 1.5 },
      { id: 2n, ptGeV: 1.5 },
    ],
  );
  const nodes = selectNodes(train, model);
  const hitId = Uint32Array.from(nodes.hitRow, (i) => train.hits.hitId[i]);
  const learner = new ModuleMapLearner(modules.moduleCount);
  learner.add(nodes, moduleRows(train, nodes.hitRow), computeNodeTruth(hitId, nodes.layer, train.truth!, train.particles), 0.5);
  const map = learner.finish();

  it('learns the module pairs of true segments with their ranges', () => {
    // Two tracks over the same 4 module pairs (8/2→8/4, 8/4→8/6, 8/6→9/2, 9/2→9/4), each seen twice.
    expect(map.dstModule.length).toBe(4);
    expect(Array.from(map.count)).toEqual([2, 2, 2, 2]);
    expect(learner.segmentsSeen).toBe(8);
  });

  it('finds the segments of a new event and nothing on unmapped module pairs', () => {
    // A similar track (learned ranges widened by the minimum margins) and a second one that skips 8/6: its
    // 8/4→9/2 pair was never seen, so that segment is not built.
    const skip = helixHits([layer(8, 2), layer(8, 4), layer(9, 2)], 1.5, 1, 2, 4.1, 0, 4n);
    const test = handEvent(
      [...track(0.31, 3n), ...skip],
      [
        { id: 3n, ptGeV: 1.5 },
        { id: 4n, ptGeV: 1.5 },
      ],
    );
    const ctx = { model, moduleMap: map, modules };
    const g = buildGraph(test, ctx, graphConfig({ builder: 'moduleMap' }));
    const m = edgeMetrics(g);
    expect(m.byPt.pt1).toMatchObject({ segments: 6, kept: 5 });
    expect(m.purity).toBe(1);
  });

  it('round-trips through its Arrow file by (volume, layer, module) names', () => {
    const bytes = moduleMapToArrow(map, modules, { events: '1' });
    expect(moduleMapFromArrow(bytes, modules)).toEqual(map);
  });
});
