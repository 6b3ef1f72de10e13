// Event directories: discovery on a mixed directory, and reading one event with and without kinds.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { findEvents, formatEventId, readEvent, writeEvent } from '../../src/trackml/index.ts';
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
