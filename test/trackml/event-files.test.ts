// Event directories: discovery on a mixed directory, reading one event with and without kinds, and writeEvent on a
// small hand-made event: every kind it holds written and read back, files of another suffix or of kinds it lacks
// removed, and a write that fails part-way leaving no event (its old hits gone first) rather than a mixed one.
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { findEvents, formatEventId, readEvent, writeEvent, type TrackmlEvent } from '../../src/trackml/index.ts';
import { bytesOf, describeRealData, sampleEventFile, tempDir } from './helpers.ts';

const dir = tempDir();

describeRealData('findEvents / readEvent', () => {
  const mixed = path.join(dir, 'mixed');
  beforeAll(() => {
    mkdirSync(mixed);
    // Event 2: all four kinds, gzipped. Event 10: hits and truth as plain-named files. Plus unrelated files.
    for (const kind of ['hits', 'cells', 'particles', 'truth'] as const) {
      copyFileSync(sampleEventFile(kind), path.join(mixed, `event000000002-${kind}.csv.gz`));
    }
    copyFileSync(sampleEventFile('hits'), path.join(mixed, 'event000000010-hits.csv'));
    copyFileSync(sampleEventFile('truth'), path.join(mixed, 'event000000010-truth.csv'));
    writeFileSync(path.join(mixed, 'README.md'), 'not an event');
    writeFileSync(path.join(mixed, 'event000000003-tracks.csv'), 'hit_id,track_id\n');
    writeFileSync(path.join(mixed, 'event12-hits.csv'), 'too few digits');
    mkdirSync(path.join(mixed, 'event000000001'));
  });

  it('finds events sorted by id with the files present', () => {
    const events = findEvents(mixed);
    expect(events.map((e) => e.eventId)).toEqual(['event000000002', 'event000000010']);
    expect(events[0].particles).toBe(path.join(mixed, 'event000000002-particles.csv.gz'));
    expect(events[1]).toEqual({
      eventId: 'event000000010',
      hits: path.join(mixed, 'event000000010-hits.csv'),
      truth: path.join(mixed, 'event000000010-truth.csv'),
    });
  });

  it('reads every kind found by default, or only those asked for', () => {
    const [full, partial] = findEvents(mixed);
    const all = readEvent(full);
    expect(all.hits.hitId.length).toBe(5527);
    expect(all.cells?.hitId.length).toBe(18564);
    expect(all.particles?.particleId.length).toBe(548);
    expect(all.truth?.hitId.length).toBe(5527);
    const some = readEvent(full, ['truth']);
    expect(some.cells).toBeUndefined();
    expect(some.truth?.weight.length).toBe(5527);
    expect(readEvent(partial).particles).toBeUndefined();
    expect(() => readEvent(partial, ['particles'])).toThrow(/no particles file/);
  });

  it('an ambiguous .csv + .csv.gz pair and a missing directory are user errors', () => {
    const amb = path.join(dir, 'amb');
    mkdirSync(amb);
    copyFileSync(sampleEventFile('hits'), path.join(amb, 'event000000001-hits.csv'));
    copyFileSync(sampleEventFile('hits'), path.join(amb, 'event000000001-hits.csv.gz'));
    expect(() => findEvents(amb)).toThrow(InputError);
    expect(() => findEvents(amb)).toThrow(/ambiguous/);
    expect(() => findEvents(path.join(dir, 'nope'))).toThrow(/directory not found/);
  });

  it('writeEvent writes official names that findEvents/readEvent read back identically', () => {
    expect(formatEventId(42)).toBe('event000000042');
    expect(() => formatEventId(1e9)).toThrow(RangeError);
    const [full] = findEvents(mixed);
    const event = readEvent(full, ['truth', 'particles']);
    const out = path.join(dir, 'written');
    mkdirSync(out);
    for (const gzip of [true, false]) {
      const written = writeEvent(out, { ...event, eventId: formatEventId(gzip ? 7 : 8) }, { gzip });
      expect(written.cells).toBeUndefined();
      expect(written.truth).toBe(path.join(out, `event00000000${gzip ? 7 : 8}-truth.csv${gzip ? '.gz' : ''}`));
    }
    const found = findEvents(out);
    expect(found.map((e) => e.eventId)).toEqual(['event000000007', 'event000000008']);
    for (const files of found) {
      const back = readEvent(files);
      expect(back.cells).toBeUndefined();
      expect(bytesOf(back.hits.x).equals(bytesOf(event.hits.x))).toBe(true);
      expect(bytesOf(back.truth!.particleId).equals(bytesOf(event.truth!.particleId))).toBe(true);
      expect(bytesOf(back.particles!.pz).equals(bytesOf(event.particles!.pz))).toBe(true);
    }
  });
});

/** Three hits of one particle, with cells, the particle and truth: every kind, small enough to write in milliseconds. */
function smallEvent(eventId: string): TrackmlEvent {
  const f32 = (...v: number[]) => Float32Array.from(v);
  return {
    eventId,
    hits: {
      hitId: Uint32Array.from([1, 2, 3]),
      x: f32(31.5, 70.25, 115),
      y: f32(-2.5, -5.125, -8),
      z: f32(10, 22.5, 36),
      volumeId: Uint8Array.from([8, 8, 8]),
      layerId: Uint8Array.from([2, 4, 6]),
      moduleId: Uint16Array.from([11, 12, 13]),
    },
    cells: {
      hitId: Uint32Array.from([1, 1, 2, 3]),
      ch0: Uint16Array.from([5, 6, 7, 8]),
      ch1: Uint16Array.from([9, 9, 9, 9]),
      value: f32(0.25, 0.5, 1, 0.125),
    },
    particles: {
      particleId: BigUint64Array.from([4503599644147712n]),
      particleType: Int32Array.from([13]),
      vx: f32(0.01),
      vy: f32(-0.02),
      vz: f32(1.5),
      px: f32(1.25),
      py: f32(-0.0625),
      pz: f32(0.5),
      q: Int8Array.from([-1]),
      nhits: Uint16Array.from([3]),
    },
    truth: {
      hitId: Uint32Array.from([1, 2, 3]),
      particleId: BigUint64Array.from([4503599644147712n, 4503599644147712n, 4503599644147712n]),
      tx: f32(31.5, 70.25, 115),
      ty: f32(-2.5, -5.125, -8),
      tz: f32(10, 22.5, 36),
      tpx: f32(1.25, 1.25, 1.25),
      tpy: f32(-0.0625, -0.0625, -0.0625),
      tpz: f32(0.5, 0.5, 0.5),
      weight: Float64Array.from([0.25, 0.5, 0.25]),
    },
  };
}

describe('writeEvent / findEvents on a hand-made event', () => {
  let n = 0;
  const fresh = () => {
    const d = path.join(dir, `w${n++}`);
    mkdirSync(d);
    return d;
  };
  const ls = (d: string) => readdirSync(d).sort();
  const id = 'event000000004';

  it('writes every kind the event holds and reads each back; only the kinds asked for are read', () => {
    for (const gzip of [true, false]) {
      const out = fresh();
      const ev = smallEvent(id);
      const written = writeEvent(out, ev, { gzip });
      const ext = gzip ? '.csv.gz' : '.csv';
      expect(ls(out)).toEqual(['cells', 'hits', 'particles', 'truth'].map((k) => `${id}-${k}${ext}`));
      expect(Object.keys(written.digests).sort()).toEqual(['cells', 'hits', 'particles', 'truth']);
      const [files] = findEvents(out);
      expect(files).toEqual({
        eventId: id,
        ...Object.fromEntries(['hits', 'cells', 'particles', 'truth'].map((k) => [k, path.join(out, `${id}-${k}${ext}`)])),
      });
      const back = readEvent(files);
      expect(back.cells).toEqual(ev.cells);
      expect(back.particles).toEqual(ev.particles);
      expect(back.truth).toEqual(ev.truth);
      expect(back.hits).toEqual(ev.hits);
      const cellsOnly = readEvent(files, ['cells']);
      expect([cellsOnly.cells?.value.length, cellsOnly.particles, cellsOnly.truth]).toEqual([4, undefined, undefined]);
      const particlesOnly = readEvent(files, ['particles']);
      expect([particlesOnly.cells, particlesOnly.particles?.nhits[0], particlesOnly.truth]).toEqual([undefined, 3, undefined]);
    }
  });

  it('an event of hits alone writes the hits file alone', () => {
    const out = fresh();
    const { hits } = smallEvent(id);
    const written = writeEvent(out, { eventId: id, hits });
    expect(ls(out)).toEqual([`${id}-hits.csv.gz`]);
    expect(written).toMatchObject({ eventId: id, hits: path.join(out, `${id}-hits.csv.gz`) });
    expect([written.cells, written.particles, written.truth]).toEqual([undefined, undefined, undefined]);
  });

  it('a rewrite removes the files of the other suffix and of kinds the event no longer holds', () => {
    const out = fresh();
    const ev = smallEvent(id);
    writeEvent(out, ev, { gzip: false });
    writeEvent(out, { ...ev, truth: undefined }, { gzip: true });
    expect(ls(out)).toEqual([`${id}-cells.csv.gz`, `${id}-hits.csv.gz`, `${id}-particles.csv.gz`]);
    writeEvent(out, { eventId: id, hits: ev.hits, truth: ev.truth }, { gzip: false });
    expect(ls(out)).toEqual([`${id}-hits.csv`, `${id}-truth.csv`]);
    expect(readEvent(findEvents(out)[0]).truth).toEqual(ev.truth);
    // Same suffix: the kinds dropped go, the others are rewritten.
    writeEvent(out, { eventId: id, hits: ev.hits, particles: ev.particles }, { gzip: false });
    expect(ls(out)).toEqual([`${id}-hits.csv`, `${id}-particles.csv`]);
  });

  it('a write that fails part-way leaves no event: the old hits (either suffix) are gone before anything is written', () => {
    for (const [before, after] of [
      [true, true],
      [false, false],
      [false, true],
      [true, false],
    ]) {
      const out = fresh();
      const ev = smallEvent(id);
      writeEvent(out, ev, { gzip: before });
      // The new cells file cannot be written: a directory is in its place.
      const cells = path.join(out, `${id}-cells.csv${after ? '.gz' : ''}`);
      rmSync(cells, { force: true });
      mkdirSync(cells);
      expect(() => writeEvent(out, ev, { gzip: after })).toThrow(InputError);
      const left = findEvents(out).filter((e) => e.eventId === id && e.hits !== undefined);
      expect(left, `gzip ${before} → ${after}`).toEqual([]);
    }
  });

  it('an old file that cannot be removed (a directory in its place) is a one-line user error', () => {
    const out = fresh();
    const blocker = path.join(out, `${id}-truth.csv`);
    mkdirSync(blocker);
    expect(() => writeEvent(out, smallEvent(id))).toThrow(new InputError(blocker, undefined, 'cannot write: a directory is in the way'));
    expect(() => writeEvent(out, smallEvent(id))).toThrow(InputError);
  });

  it('refuses an event id that is not event + nine digits', () => {
    const ev = smallEvent(id);
    for (const bad of ['event00000004', 'event0000000044', 'xevent000000004', 'event000000004x', '000000004']) {
      expect(() => writeEvent(dir, { ...ev, eventId: bad }), bad).toThrow(`writeEvent: bad eventId "${bad}"`);
    }
  });

  it('a directory that is a file, or a symbolic link loop, is a one-line user error', () => {
    const out = fresh();
    const file = path.join(out, 'event000000001-hits.csv');
    writeFileSync(file, 'x');
    expect(() => findEvents(file)).toThrow(new InputError(file, undefined, 'not a directory'));
    const loop = path.join(out, 'loop');
    symlinkSync(loop, loop);
    expect(() => findEvents(loop)).toThrow(new InputError(loop, undefined, 'symbolic link loop'));
    expect(() => findEvents(loop)).toThrow(InputError);
  });
});
