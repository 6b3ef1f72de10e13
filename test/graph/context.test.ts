// graphContextFrom (src/graph/context.ts): the map the config's builder needs is read from the bytes given, into the
// slot that builder uses, and a missing or unreadable map is a user error naming the file. Mutation testing found
// this checked only by the slow real-data tests.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { moduleMapToArrow, ringMapToArrow } from '../../src/graph/arrow-io.ts';
import { graphConfig } from '../../src/graph/config.ts';
import { graphContextFrom } from '../../src/graph/context.ts';
import { MM_FEATURES, moduleMapFromEntries } from '../../src/graph/module-map.ts';
import { moduleRings } from '../../src/graph/ring-map.ts';

const detector = buildDetectorIndex(loadDetector());
const rings = moduleRings(detector);
const lo = new Array<number>(MM_FEATURES).fill(-1);
const hi = new Array<number>(MM_FEATURES).fill(1);
const moduleMapBytes = moduleMapToArrow(moduleMapFromEntries(detector.moduleCount, [{ src: 0, dst: 1, count: 3, lo, hi }]), detector, {});
const ringMapBytes = ringMapToArrow(
  {
    ringCount: rings.count,
    srcRing: new Uint32Array([0]),
    dstRing: new Uint32Array([1]),
    count: new Uint32Array([3]),
    lo: new Float32Array(lo),
    hi: new Float32Array(hi),
  },
  rings,
  {},
);

describe('graphContextFrom', () => {
  it('geometric: no map read, none needed', () => {
    const ctx = graphContextFrom(graphConfig({ builder: 'geometric' }), detector, new Uint8Array([1, 2, 3]));
    expect(ctx.moduleMap).toBeUndefined();
    expect(ctx.ringMap).toBeUndefined();
    expect(ctx.rings!.count).toBe(rings.count);
  });

  it('moduleMap: the module map from the bytes, in its slot', () => {
    const ctx = graphContextFrom(graphConfig({ builder: 'moduleMap', moduleMap: { file: 'm.arrow' } }), detector, moduleMapBytes);
    expect(ctx.ringMap).toBeUndefined();
    expect([...ctx.moduleMap!.dstModule]).toEqual([1]);
    expect([...ctx.moduleMap!.count]).toEqual([3]);
  });

  it('ringMap: the ring map from the bytes, in its slot', () => {
    const ctx = graphContextFrom(graphConfig({ builder: 'ringMap', moduleMap: { file: 'r.arrow' } }), detector, ringMapBytes);
    expect(ctx.moduleMap).toBeUndefined();
    expect([...ctx.ringMap!.srcRing, ...ctx.ringMap!.dstRing]).toEqual([0, 1]);
  });

  it('a map builder without bytes, or with bytes that are not its map: a user error naming the file', () => {
    for (const builder of ['moduleMap', 'ringMap'] as const) {
      const config = graphConfig({ builder, moduleMap: { file: 'maps/x.arrow' } });
      expect(() => graphContextFrom(config, detector)).toThrow(InputError);
      expect(() => graphContextFrom(config, detector)).toThrow('maps/x.arrow: module map bytes not given');
      expect(() => graphContextFrom(config, detector, new Uint8Array([1, 2, 3]))).toThrow(/^maps\/x\.arrow: not a readable module map: /);
      // Each map's bytes are not the other's map.
      const other = builder === 'moduleMap' ? ringMapBytes : moduleMapBytes;
      expect(() => graphContextFrom(config, detector, other)).toThrow(InputError);
    }
    expect(() => graphContextFrom(graphConfig({ builder: 'moduleMap' }), detector)).toThrow('module map: module map bytes not given');
  });
});
