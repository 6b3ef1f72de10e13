// Defence in depth (issue 22, row 3): the readers refuse hits outside the detector, but the track builder is a library
// too. One far-away hit (x = 1e10, 1e30, −1e30, Infinity) used to make it allocate gigabytes or throw "RangeError:
// Invalid typed array length"; now it ends up alone and the other hits' tracks are those of the event without it.
import { expect, it } from 'vitest';
import { readEvent } from '../../src/trackml/index.ts';
import type { Hits } from '../../src/trackml/types.ts';
import { buildEventTracks, tracksConfig } from '../../src/tracks/index.ts';
import { describeRealData, realDataDir } from '../real-data.ts';
import path from 'node:path';

const noGraph = {
  hitId: new Uint32Array(0),
  layer: new Uint8Array(0),
  nodeFeatures: new Float32Array(0),
  src: new Uint32Array(0),
  dst: new Uint32Array(0),
};
const config = tracksConfig({});
const tracksOf = (h: Hits) => buildEventTracks(h, noGraph, new Float32Array(0), config);

/** The partition of rows into tracks, as a sorted list of sorted row lists (ids themselves may be renumbered), rows
 * in `skip` left out and the others renumbered as in the event without them. */
function partition(trackId: BigInt64Array, skip: readonly number[] = []): number[][] {
  const groups = new Map<bigint, number[]>();
  trackId.forEach((t, r) => {
    if (skip.includes(r)) return;
    if (!groups.has(t)) groups.set(t, []);
    groups.get(t)!.push(r - skip.filter((k) => k < r).length);
  });
  return [...groups.values()].sort((a, b) => a[0] - b[0]);
}

/** The real sample's hits, one hit of each layer kind picked, and the tracks of the event without them (read only
 * when the real data is there). */
let sampleCache: ReturnType<typeof readSample> | undefined;
const sample = () => (sampleCache ??= readSample());

function readSample() {
  const event = readEvent({ eventId: 'event000000001', hits: path.join(realDataDir(), 'sample-event', 'event000000001-hits.csv.gz') });
  const hits = event.hits;
  // One hit on each kind of layer the builder bins: pixel barrel (8), pixel disk (9), strips (13, 14).
  const moved = [8, 9, 13, 14].map((v) => hits.volumeId.findIndex((vol) => vol === v));
  const keep = hits.hitId.map((_, r) => (moved.includes(r) ? 0 : 1));
  const pick = <T extends Float32Array | Uint32Array | Uint8Array | Uint16Array>(a: T): T => a.filter((_, r) => keep[r] === 1) as T;
  const withoutMoved: Hits = {
    hitId: pick(hits.hitId),
    x: pick(hits.x),
    y: pick(hits.y),
    z: pick(hits.z),
    volumeId: pick(hits.volumeId),
    layerId: pick(hits.layerId),
    moduleId: pick(hits.moduleId),
  };
  const expected = partition(tracksOf(withoutMoved));
  return { hits, moved, expected };
}

describeRealData('far-away hits do not break track building', () => {
  it.each([
    ['x', 1e10],
    ['x', 1e30],
    ['z', -1e30],
    ['y', Infinity],
  ] as const)('%s = %d on one hit of each layer kind: each alone, the others tracked as in the event without them', (coord, value) => {
    const { hits, moved, expected } = sample();
    expect(moved.every((r) => r >= 0)).toBe(true);
    const far: Hits = { ...hits, [coord]: Float32Array.from(hits[coord]) };
    for (const row of moved) far[coord][row] = value;
    const rssBefore = process.memoryUsage.rss();
    const got = tracksOf(far);
    expect((process.memoryUsage.rss() - rssBefore) / 1e6).toBeLessThan(500);
    for (const row of moved) expect(got.filter((t) => t === got[row]).length).toBe(1);
    expect(partition(got, moved)).toEqual(expected);
  });
});
