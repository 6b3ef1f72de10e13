// Every kind of bad input gives an InputError with the right file and 1-based line (header = line 1).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { readCells, readHits, readParticles, readSubmission, readTruth } from '../../src/trackml/index.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();
let counter = 0;

function file(content: string | Buffer, name = `f${counter++}.csv`): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Runs `fn`, expects an InputError for `f` at `row` whose reason matches `reason`. */
function expectInputError(fn: () => unknown, f: string, row: number | undefined, reason: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an InputError').toBeInstanceOf(InputError);
  const e = caught as InputError;
  expect(e.file).toBe(f);
  expect(e.row).toBe(row);
  expect(e.reason).toMatch(reason);
}

const HITS_HEADER = 'hit_id,x,y,z,volume_id,layer_id,module_id';
const hitsFile = (rows: string[]) => file([HITS_HEADER, ...rows].join('\n') + '\n');

describe('file-level errors', () => {
  it('binary data is named as such, not echoed as a header; a .gz name on plain bytes is pointed out', () => {
    const zstd = file(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x0a, 0x31]), 'z-submission.csv.gz');
    expectInputError(
      () => readSubmission(zstd),
      zstd,
      1,
      /^not CSV text: binary bytes on the header line \(its name ends in \.gz, but it is not gzip-compressed\)$/,
    );
    const png = file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'p-hits.csv');
    expectInputError(() => readHits(png), png, 1, /^not CSV text: binary bytes on the header line$/);
    const text = file('not gzip\n', 't-submission.csv.gz');
    expectInputError(
      () => readSubmission(text),
      text,
      1,
      /^unexpected column "not gzip"; .*found not gzip \(its name ends in \.gz, but it is not gzip-compressed\)$/,
    );
    // Plain CSV under a .gz name is still read.
    expect(readSubmission(file('hit_id,track_id\n1,2\n', 'plain-submission.csv.gz')).hitId).toEqual(new Uint32Array([1]));
  });

  it('missing file', () => {
    const f = path.join(dir, 'nope-hits.csv');
    expectInputError(() => readHits(f), f, undefined, /file not found/);
  });

  it('0-byte file, also for submissions', () => {
    const f = file('');
    expectInputError(() => readHits(f), f, undefined, /empty file/);
    expectInputError(() => readSubmission(f), f, undefined, /empty file/);
  });

  it('truncated and corrupt gzip', () => {
    const gz = gzipSync(Buffer.from(`${HITS_HEADER}\n1,1,2,3,8,2,1\n`.repeat(50)));
    const truncated = file(gz.subarray(0, gz.length - 20), 'trunc-hits.csv.gz');
    expectInputError(() => readHits(truncated), truncated, undefined, /truncated or corrupt gzip/);
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x55, 12, 40);
    const bad = file(corrupt, 'corrupt-hits.csv.gz');
    expectInputError(() => readHits(bad), bad, undefined, /truncated or corrupt gzip/);
  });

  it('decides gzip by the magic bytes, not the name', () => {
    const text = `${HITS_HEADER}\n5,1.5,2,3,8,2,1\n`;
    const gzNamedCsv = file(gzipSync(Buffer.from(text)), 'gz-named.csv');
    const plainNamedGz = file(text, 'plain-named.csv.gz');
    expect(readHits(gzNamedCsv).x[0]).toBe(1.5);
    expect(readHits(plainNamedGz).x[0]).toBe(1.5);
  });
});

describe('header errors', () => {
  it('missing column names the expected column and the header found', () => {
    const f = file('hit_id,x,y,z,volume_id,layer_id\n1,1,2,3,8,2\n');
    expectInputError(() => readHits(f), f, 1, /missing column "module_id".*found hit_id,x,y,z,volume_id,layer_id$/);
  });

  it('renamed column is reported as unexpected, with the expected header', () => {
    const f = file('hit_id,x,y,zz,volume_id,layer_id,module_id\n1,1,2,3,8,2,1\n');
    expectInputError(() => readHits(f), f, 1, /unexpected column "zz"; expected header hit_id,x,y,z,volume_id,layer_id,module_id/);
  });

  it('duplicated column', () => {
    const f = file('hit_id,x,y,z,z,volume_id,layer_id,module_id\n');
    expectInputError(() => readHits(f), f, 1, /duplicate column "z"/);
  });

  it('particles without particle_type are fine (training-phase format)', () => {
    const f = file('particle_id,vx,vy,vz,px,py,pz,q,nhits\n4503599644147712,0,0,1,0.1,0.2,3,-1,9\n');
    const p = readParticles(f);
    expect(p.particleType).toBeUndefined();
    expect(p.particleId[0]).toBe(4503599644147712n);
    expect(p.q[0]).toBe(-1);
  });

  it('submission header must be exactly hit_id,track_id', () => {
    for (const header of ['track_id,hit_id', 'hit_id,track', 'hit_id', 'hit_id,track_id,extra']) {
      const f = file(`${header}\n1,2\n`);
      expectInputError(() => readSubmission(f), f, 1, /hit_id,track_id/);
    }
  });
});

describe('row errors', () => {
  it('non-numeric value names the column and the text', () => {
    const f = hitsFile(['1,1,2,3,8,2,1', '2,1,abc,3,8,2,1']);
    expectInputError(() => readHits(f), f, 3, /column "y": "abc" is not a number/);
    const g = hitsFile(['1,1,2,3,8,2,1', '2,1,2,nan,8,2,1']);
    expectInputError(() => readHits(g), g, 3, /column "z": "nan" is not a number/);
    const h = hitsFile(['1,1,2,3,8,2,1', '2,1,,3,8,2,1']);
    expectInputError(() => readHits(h), h, 3, /column "y": empty value/);
    const k = hitsFile(['1,1,2,3e,8,2,1']);
    expectInputError(() => readHits(k), k, 2, /column "z": "3e" is not a number/);
  });

  it('wrong number of fields, short and long', () => {
    const short = hitsFile(['1,1,2,3,8,2,1', '2,1,2,3,8,2', '3,1,2,3,8,2,1']);
    expectInputError(() => readHits(short), short, 3, /expected 7 fields, found 6/);
    const long = hitsFile(['1,1,2,3,8,2,1,9']);
    expectInputError(() => readHits(long), long, 2, /expected 7 fields, found 8/);
    const trailingComma = hitsFile(['1,1,2,3,8,2,']);
    expectInputError(() => readHits(trailingComma), trailingComma, 2, /column "module_id": empty value/);
  });

  it('blank line inside the data', () => {
    const f = hitsFile(['1,1,2,3,8,2,1', '', '3,1,2,3,8,2,1']);
    expectInputError(() => readHits(f), f, 3, /empty line/);
  });

  it('values outside the column type', () => {
    const vol = hitsFile(['1,1,2,3,300,2,1']);
    expectInputError(() => readHits(vol), vol, 2, /column "volume_id": 300 is out of range \(0\.\.255\)/);
    const neg = hitsFile(['1,1,2,3,8,2,1', '-4,1,2,3,8,2,1']);
    expectInputError(() => readHits(neg), neg, 3, /column "hit_id": -4 is out of range/);
    const mod = hitsFile(['1,1,2,3,8,2,65536']);
    expectInputError(() => readHits(mod), mod, 2, /column "module_id": 65536 is out of range/);
    const frac = hitsFile(['1.5,1,2,3,8,2,1']);
    expectInputError(() => readHits(frac), frac, 2, /column "hit_id": "1.5" is not an integer/);
    const huge = hitsFile(['1,1,2,1e999,8,2,1']);
    expectInputError(() => readHits(huge), huge, 2, /column "z": "1e999" is out of range/);
    const pid = file('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,18446744073709551616,0,0,0,0,0,0,0\n');
    expectInputError(() => readTruth(pid), pid, 2, /column "particle_id": 18446744073709551616 is out of range/);
    const negPid = file('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,-5,0,0,0,0,0,0,0\n');
    expectInputError(() => readTruth(negPid), negPid, 2, /column "particle_id": -5 is out of range/);
    const cell = file('hit_id,ch0,ch1,value\n1,70000,2,0.5\n');
    expectInputError(() => readCells(cell), cell, 2, /column "ch0": 70000 is out of range/);
  });

  it('submission track ids must be integers within signed 64 bits', () => {
    for (const [text, reason] of [
      ['1.5', /"1.5" is not an integer/],
      ['abc', /"abc" is not a number/],
      ['1e3', /"1e3" is not an integer/],
      ['9223372036854775808', /out of range/],
      ['-9223372036854775809', /out of range/],
    ] as const) {
      const f = file(`hit_id,track_id\n1,7\n2,${text}\n`);
      expectInputError(() => readSubmission(f), f, 3, reason);
    }
  });

  it('duplicate hit ids in hits, truth and submissions name both lines', () => {
    const hits = hitsFile(['10,1,2,3,8,2,1', '11,1,2,3,8,2,1', '10,1,2,3,8,2,1']);
    expectInputError(() => readHits(hits), hits, 4, /duplicate hit_id 10 \(first on line 2\)/);
    const truth = file('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n5,0,0,0,0,0,0,0,0\n5,0,0,0,0,0,0,0,0\n');
    expectInputError(() => readTruth(truth), truth, 3, /duplicate hit_id 5 \(first on line 2\)/);
    const sub = file('hit_id,track_id\n4000000000,1\n3,1\n4000000000,2\n');
    expectInputError(() => readSubmission(sub), sub, 4, /duplicate hit_id 4000000000 \(first on line 2\)/);
  });

  it('a header-only submission is valid and empty', () => {
    const f = file('hit_id,track_id\n');
    expect(readSubmission(f).hitId.length).toBe(0);
  });
});
