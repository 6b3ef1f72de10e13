// Input limits (issue 22, rows 3, 10, 13): odd and oversized files give one InputError naming the file (and row), in
// bounded memory — a dangling symlink, a 3 GiB file, 600 MB without a line end, a gzip bomb, CR-only line ends, a
// value past float32, a hit far outside the detector, a negative truth weight, a header-only detectors.csv. The big
// files are sparse (no disk, no time) and the bomb is 1,024 copies of one 1 KB gzip member (1 GiB inflated).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { digestInputs } from '../../src/core/cache.ts';
import { InputError } from '../../src/core/errors.ts';
import { readDetectors, readHits, readParticles, readTruth } from '../../src/trackml/index.ts';
import { DEFAULT_INPUT_LIMITS, inputLimits, readInputBytes } from '../../src/trackml/input-file.ts';
import { cliArgv } from '../cli-run.ts';
import { inMutationRun } from '../mutation-run.ts';
import { itRealData, realDataDir, repoRoot } from '../real-data.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('trackml-limits-');
let counter = 0;
const GiB = 1024 ** 3;

function file(content: string | Buffer, name = `f${counter++}.csv`): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A sparse file of `bytes` zero bytes: takes no disk space and no time. */
function sparse(bytes: number, head = ''): string {
  const p = file(head);
  truncateSync(p, bytes);
  return p;
}

/** The InputError `fn` throws (fails the test when it throws anything else, or nothing). */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError, got none');
}

/** Growth of this process's resident memory while `fn` runs, MB. */
function rssGrowthMb(fn: () => void): number {
  const before = process.memoryUsage.rss();
  fn();
  return (process.memoryUsage.rss() - before) / 1e6;
}

const HITS_HEADER = 'hit_id,x,y,z,volume_id,layer_id,module_id';
const env = process.env;
afterEach(() => {
  delete env.TRACKML_MAX_FILE_SIZE;
  delete env.TRACKML_MAX_DATA_SIZE;
  delete env.TRACKML_MAX_LINE_LENGTH;
});

describe('odd files', () => {
  it('a dangling symlink names its missing target', () => {
    const link = path.join(dir, 'dangling-hits.csv');
    symlinkSync(path.join(dir, 'gone.csv'), link);
    const e = inputError(() => readHits(link));
    expect(e.file).toBe(link);
    expect(e.reason).toMatch(/dangling symbolic link .*gone\.csv/);
    // The pipeline's cache key hashes its inputs first: the same line there.
    expect(inputError(() => digestInputs({ hits: link })).message).toBe(e.message);
  });

  it('a device or a FIFO is not read (it would never end or block)', () => {
    expect(inputError(() => readHits('/dev/zero')).reason).toBe('not a regular file');
    const fifo = path.join(dir, 'fifo-hits.csv');
    execFileSync('mkfifo', [fifo]);
    expect(inputError(() => readHits(fifo)).reason).toBe('not a regular file');
  });

  it('a 3 GiB file is refused by its size before a byte is read', () => {
    const big = sparse(3 * GiB, `${HITS_HEADER}\n`);
    let e!: InputError;
    expect(rssGrowthMb(() => (e = inputError(() => readHits(big))))).toBeLessThan(50);
    expect(e.file).toBe(big);
    expect(e.message).toMatch(/its size \(3 GiB\) is over the limit of 256 MiB \(set TRACKML_MAX_FILE_SIZE to raise it\)$/);
  });

  it('600 MB without a line end: refused after its first 16 KiB, even with the size limit raised', () => {
    env.TRACKML_MAX_FILE_SIZE = '1G';
    const noNewline = sparse(600e6);
    let e!: InputError;
    expect(rssGrowthMb(() => (e = inputError(() => readHits(noNewline))))).toBeLessThan(50);
    expect(e.row).toBe(1);
    expect(e.reason).toMatch(/line longer than the limit of 16 KiB/);
  });

  it('a long line further down is refused with its line number', () => {
    const long = file(`${HITS_HEADER}\n1,1,2,3,8,2,1\n2,${'1'.repeat(20_000)},2,3,8,2,1\n`);
    const e = inputError(() => readHits(long));
    expect([e.row, e.reason]).toEqual([3, 'line longer than the limit of 16 KiB (set TRACKML_MAX_LINE_LENGTH to raise it)']);
    env.TRACKML_MAX_LINE_LENGTH = '32K';
    expect(inputError(() => readHits(long)).reason).toMatch(/column "x": .* is out of range/);
  });

  it('a gzip bomb stops at the decompressed-size limit (default and configured)', () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = file(Buffer.concat(Array(1024).fill(member)), 'bomb-hits.csv.gz'); // ~1 MB → 1 GiB
    let e!: InputError;
    const growth = rssGrowthMb(() => (e = inputError(() => readHits(bomb))));
    expect(e.message).toBe(`${bomb}: its decompressed size is over the limit of 256 MiB (set TRACKML_MAX_DATA_SIZE to raise it)`);
    expect(growth).toBeLessThan(600);
    env.TRACKML_MAX_DATA_SIZE = '4M';
    expect(inputError(() => readHits(bomb)).reason).toMatch(/decompressed size is over the limit of 4 MiB/);
  });

  it('limits read from the environment; a malformed value is a user error', () => {
    expect(inputLimits({})).toEqual(DEFAULT_INPUT_LIMITS);
    expect(inputLimits({ TRACKML_MAX_FILE_SIZE: '2g', TRACKML_MAX_DATA_SIZE: '1.5M', TRACKML_MAX_LINE_LENGTH: '100' })).toEqual({
      maxFileBytes: 2 * GiB,
      maxDataBytes: 1.5 * 1024 * 1024,
      maxLineBytes: 100,
    });
    expect(inputError(() => inputLimits({ TRACKML_MAX_FILE_SIZE: 'lots' })).message).toBe(
      'TRACKML_MAX_FILE_SIZE="lots" is not a size (e.g. 512M, 2G, 65536)',
    );
    expect(inputError(() => inputLimits({ TRACKML_MAX_LINE_LENGTH: '0' })).message).toMatch(/TRACKML_MAX_LINE_LENGTH="0"/);
  });

  it('limits passed in are applied exactly at the boundary', () => {
    const text = `${HITS_HEADER}\n1,1,2,3,8,2,1\n`;
    const f = file(text);
    const limits = { ...DEFAULT_INPUT_LIMITS };
    expect(readInputBytes(f, { ...limits, maxFileBytes: text.length }).length).toBe(text.length);
    expect(inputError(() => readInputBytes(f, { ...limits, maxFileBytes: text.length - 1 })).reason).toMatch(
      /its size \(\d+ bytes\) is over the limit/,
    );
    const gz = file(gzipSync(text), 'exact.csv.gz');
    expect(readInputBytes(gz, { ...limits, maxDataBytes: text.length }).length).toBe(text.length);
    expect(inputError(() => readInputBytes(gz, { ...limits, maxDataBytes: text.length - 1 })).reason).toMatch(/decompressed size/);
    expect(readInputBytes(f, { ...limits, maxLineBytes: HITS_HEADER.length }).length).toBe(text.length);
    expect(inputError(() => readInputBytes(f, { ...limits, maxLineBytes: HITS_HEADER.length - 1 })).row).toBe(1);
  });

  it('CR-only line ends: one short line saying so, not the file echoed as one header', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i + 1},1,2,3,8,2,1`);
    const cr = file([HITS_HEADER, ...rows].join('\r') + '\r');
    const e = inputError(() => readHits(cr));
    expect(e.row).toBe(1);
    expect(e.reason).toMatch(/bare carriage return .* convert the line ends to LF or CRLF/);
    expect(e.message.length).toBeLessThan(250);
    const gz = file(gzipSync([HITS_HEADER, ...rows].join('\r')), 'cr-hits.csv.gz');
    expect(inputError(() => readHits(gz)).reason).toMatch(/bare carriage return/);
    // CRLF stays fine.
    expect(readHits(file([HITS_HEADER, ...rows].join('\r\n') + '\r\n')).hitId.length).toBe(2000);
  });

  it('a long wrong header is quoted shortened', () => {
    const f = file(`${'hit_id,'.repeat(1000)}x\n`);
    expect(inputError(() => readHits(f)).message.length).toBeLessThan(400);
  });
});

describe('values', () => {
  it('a value past float32 (1e39) is refused, not read as Infinity', () => {
    const f = file(`${HITS_HEADER}\n1,1,2,3,8,2,1\n2,1e39,2,3,8,2,1\n`);
    const e = inputError(() => readHits(f));
    expect([e.file, e.row]).toEqual([f, 3]);
    expect(e.reason).toBe('column "x": "1e39" is out of range for a 32-bit float (|v| ≤ 3.4e38)');
    expect(inputError(() => readHits(file(`${HITS_HEADER}\n1,1,2,-1e300,8,2,1\n`))).reason).toMatch(/column "z": "-1e300" is out of range/);
  });

  it.each([
    ['x', '1e10', '1,1e10,2,3,8,2,1', /column "x": 10000000000\.0 mm is outside the detector \(\|x\| ≤ 1200 mm\)/],
    ['y', '-1201', '1,1,-1201,3,8,2,1', /column "y": -1201\.0 mm is outside the detector \(\|y\| ≤ 1200 mm\)/],
    ['z', '3200.5', '1,1,2,3200.5,8,2,1', /column "z": 3200\.5 mm is outside the detector \(\|z\| ≤ 3200 mm\)/],
    ['x', '1e30', '1,1e30,2,3,8,2,1', /column "x": 1e\+30 mm is outside the detector/],
  ])('hits: %s = %s is outside the detector', (_c, _v, row, reason) => {
    const f = file(`${HITS_HEADER}\n5,1,2,3,8,2,1\n${row}\n`);
    const e = inputError(() => readHits(f));
    expect([e.file, e.row]).toEqual([f, 3]);
    expect(e.reason).toMatch(reason);
  });

  it('hits at the edge of the detector are accepted', () => {
    const f = file(`${HITS_HEADER}\n1,1200,-1200,3200,8,2,1\n2,-1025.3,1025.1,-2955.5,8,2,1\n`);
    expect([...readHits(f).z]).toEqual([3200, -2955.5]);
  });

  it('volume and layer ids the TrackML detector lacks are refused with their row', () => {
    for (const [row, reason] of [
      ['3,1,2,3,99,2,1', /:3: column "volume_id": 99 is not a TrackML detector volume \(7, 8, 9, 12, 13, 14, 16, 17, 18\)$/],
      ['3,1,2,3,10,2,1', /:3: column "volume_id": 10 is not/],
      ['3,1,2,3,8,3,1', /:3: column "layer_id": 3 is not a TrackML layer id \(even, 2–14\)$/],
      ['3,1,2,3,8,0,1', /:3: column "layer_id": 0 is not/],
      ['3,1,2,3,8,16,1', /:3: column "layer_id": 16 is not/],
    ] as const) {
      expect(inputError(() => readHits(file(`${HITS_HEADER}\n1,1,2,3,8,2,1\n${row}\n`))).message).toMatch(reason);
    }
  });

  itRealData('every volume and layer id of the real sample is accepted', () => {
    const real = readHits(path.join(realDataDir(), 'sample-event', 'event000000001-hits.csv.gz'));
    expect(new Set(real.volumeId)).toEqual(new Set([7, 8, 9, 12, 13, 14, 16, 17, 18]));
    expect(new Set(real.layerId)).toEqual(new Set([2, 4, 6, 8, 10, 12, 14]));
  });

  it('truth positions and particle vertices: the same range', () => {
    const truth = file('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,5,1,2,3,0.1,0.1,1,0.5\n2,5,1,2,-4000,0.1,0.1,1,0.5\n');
    expect(inputError(() => readTruth(truth)).message).toMatch(/:3: column "tz": -4000\.0 mm is outside the detector/);
    const particles = file('particle_id,vx,vy,vz,px,py,pz,q,nhits\n5,1300,0,0,1,1,1,1,3\n');
    expect(inputError(() => readParticles(particles)).message).toMatch(/:2: column "vx": 1300\.0 mm is outside the detector/);
  });

  it('a negative truth weight is refused with its row; zero is fine', () => {
    const header = 'hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n';
    const bad = file(`${header}1,5,1,2,3,0.1,0.1,1,0.5\n2,0,1,2,3,0,0,0,0\n3,5,1,2,3,0.1,0.1,1,-1e-06\n`);
    const e = inputError(() => readTruth(bad));
    expect([e.file, e.row, e.reason]).toEqual([bad, 4, 'column "weight": -0.000001 is negative; truth weights are ≥ 0']);
    expect([...readTruth(file(`${header}1,5,1,2,3,0.1,0.1,1,0.5\n2,0,1,2,3,0,0,0,0\n`)).weight]).toEqual([0.5, 0]);
  });

  it('a header-only detectors.csv is refused', () => {
    const header =
      'volume_id,layer_id,module_id,cx,cy,cz,rot_xu,rot_xv,rot_xw,rot_yu,rot_yv,rot_yw,rot_zu,rot_zv,rot_zw,module_t,module_minhu,module_maxhu,module_hv,pitch_u,pitch_v\n';
    const f = file(header, 'detectors.csv');
    expect(inputError(() => readDetectors(f)).message).toBe(`${f}: no modules (the file holds only its header)`);
  });
});

it('closes what it opens (no fd leak over many refusals)', () => {
  const big = sparse(3 * GiB);
  for (let i = 0; i < 2000; i++) inputError(() => readInputBytes(big));
  const fd = openSync(big, 'r');
  expect(fd).toBeLessThan(200);
  closeSync(fd);
});

// Checks a child process only (test/mutation-run.ts).
it.skipIf(inMutationRun)('through a CLI: one line on stderr, exit 2, no stack (3 GiB truth, gzip-bomb submission)', () => {
  const score = (truth: string, submission: string) =>
    spawnSync(process.execPath, cliArgv('score', '--truth', truth, '--submission', submission), {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, TRACKML_MAX_DATA_SIZE: '8M' },
    });
  const truth = sparse(3 * GiB, 'hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n');
  const bomb = file(Buffer.concat(Array(64).fill(gzipSync(Buffer.alloc(1024 * 1024)))), 'bomb-submission.csv.gz');
  const big = score(truth, bomb);
  expect([big.status, big.stdout]).toEqual([2, '']);
  expect(big.stderr).toBe(`error: ${truth}: its size (3 GiB) is over the limit of 256 MiB (set TRACKML_MAX_FILE_SIZE to raise it)\n`);
  const small = file('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,5,1,2,3,0.1,0.1,1,1\n');
  const bombed = score(small, bomb);
  expect([bombed.status, bombed.stdout]).toEqual([2, '']);
  expect(bombed.stderr).toBe(`error: ${bomb}: its decompressed size is over the limit of 8 MiB (set TRACKML_MAX_DATA_SIZE to raise it)\n`);
});
