// The atomic-write layer: files and directories committed by rename, what dead runs leave cleaned (and only
// theirs), output paths checked before work, the output-directory lock, and the fault-injection hook itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { checkOutputDir, checkOutputFile, ensureOutputDir, removeStaleTemps, writeDirAtomic, writeFileAtomic } from '../../src/core/fs.ts';
import { digestBytes } from '../../src/core/hash.ts';
import { lockDir } from '../../src/core/lock.ts';
import { LOCK_FILE } from '../../src/core/run-files.ts';
import { runCli } from '../fault.ts';
import { repoRoot, tempDir } from '../real-data.ts';

const root = tempDir('trackml-fs-');

/** A pid no process has: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('atomic writes', () => {
  it('writeFileAtomic returns the digest of what it wrote', () => {
    const f = path.join(root, 'a', 'b.txt');
    expect(writeFileAtomic(f, 'hello')).toEqual(digestBytes('hello'));
    expect(readFileSync(f, 'utf8')).toBe('hello');
    expect(readdirSync(path.dirname(f))).toEqual(['b.txt']);
  });

  it('writeDirAtomic replaces a directory as a whole (files of the old version do not survive)', () => {
    const d = path.join(root, 'ckpt');
    writeDirAtomic(d, { 'x.bin': 'old x', 'y.json': 'old y' });
    const digests = writeDirAtomic(d, { 'x.bin': 'new x' });
    expect(readdirSync(d)).toEqual(['x.bin']);
    expect(readFileSync(path.join(d, 'x.bin'), 'utf8')).toBe('new x');
    expect(digests['x.bin']).toEqual(digestBytes('new x'));
    expect(readdirSync(root).filter((n) => n.startsWith('ckpt'))).toEqual(['ckpt']);
  });

  it("a file in the way is one line naming it, not the temp cleanup's ENOTDIR", () => {
    const blocker = path.join(root, 'blocker');
    writeFileSync(blocker, 'x');
    const target = path.join(blocker, 'sub', 'out.csv');
    expect(() => writeFileAtomic(target, 'x')).toThrow(
      new InputError(target, undefined, `cannot write: ${blocker} is a file, not a directory`),
    );
    expect(() => writeDirAtomic(blocker, { a: 'b' })).toThrow(InputError);
    const dirInTheWay = path.join(root, 'is-a-dir.csv');
    mkdirSync(dirInTheWay);
    expect(() => writeFileAtomic(dirInTheWay, 'x')).toThrow(/is-a-dir\.csv: cannot write: a directory is in the way/);
  });
});

describe('stale temps', () => {
  it('removes temp files and dirs of dead processes only, and puts back a directory a swap moved aside', () => {
    const d = path.join(root, 'stale');
    mkdirSync(d);
    const dead = deadPid();
    writeFileSync(path.join(d, `sub.csv.tmp-${dead}`), 'partial');
    mkdirSync(path.join(d, `last.tmp-${dead}`));
    mkdirSync(path.join(d, `last.old-${dead}`));
    writeFileSync(path.join(d, `last.old-${dead}`, 'weights.bin'), 'previous epoch');
    mkdirSync(path.join(d, `best.old-${dead}`)); // best/ itself exists: the aside copy is garbage
    mkdirSync(path.join(d, 'best'));
    writeFileSync(path.join(d, `mine.csv.tmp-${process.pid}`), 'a live run is writing this');
    expect(removeStaleTemps(d)).toBe(4);
    expect(readdirSync(d).sort()).toEqual(['best', 'last', `mine.csv.tmp-${process.pid}`]);
    expect(readFileSync(path.join(d, 'last', 'weights.bin'), 'utf8')).toBe('previous epoch');
  });
});

describe('output paths', () => {
  it('are checked without creating anything: a file in place or above is one line', () => {
    const file = path.join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => checkOutputDir(file)).toThrow(new InputError(file, undefined, 'is a file, not a directory'));
    const below = path.join(file, 'deeper', 'out');
    expect(() => checkOutputDir(below)).toThrow(new InputError(below, undefined, `cannot create it: ${file} is a file, not a directory`));
    const fresh = path.join(root, 'fresh', 'out');
    checkOutputDir(fresh);
    expect(existsSync(fresh)).toBe(false);
    ensureOutputDir(fresh);
    expect(existsSync(fresh)).toBe(true);
    expect(() => checkOutputFile(fresh)).toThrow(/is a directory/);
  });
});

describe('output-directory lock', () => {
  it('refuses a second run while the owner lives and takes over the lock of a dead one', () => {
    const d = path.join(root, 'locked');
    mkdirSync(d);
    const release = lockDir(d);
    expect(() => lockDir(d)).toThrow(new RegExp(`in use by another run \\(pid ${process.pid} `));
    release();
    expect(existsSync(path.join(d, LOCK_FILE))).toBe(false);
    writeFileSync(path.join(d, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: 'then', command: 'killed' }));
    const again = lockDir(d);
    expect(JSON.parse(readFileSync(path.join(d, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    again();
  });

  it('a CLI on a locked directory stops with one line, exit 2', () => {
    const d = path.join(root, 'busy');
    mkdirSync(d);
    const release = lockDir(d);
    try {
      const r = runCli('simulate', ['--output', d, '--events', '1', '--seed', '1', '--pileup', '1']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^error: ${d}: in use by another run \\(pid ${process.pid} `)),
      ]);
      expect(readdirSync(d)).toEqual([LOCK_FILE]);
    } finally {
      release();
    }
  });
});

describe('fault injection hook', () => {
  it('TRACKML_FAULT_AT_RENAME=N kills the process (SIGKILL) just before its Nth rename', () => {
    const d = path.join(root, 'fault');
    const script = `import('${path.join(repoRoot, 'src/core/fs.ts')}').then((m) => { for (const n of ['a', 'b', 'c']) m.writeFileAtomic('${d}/' + n, n); })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, TRACKML_FAULT_AT_RENAME: '2' },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).toContain('fault injection: killed at rename 2 ');
    expect(readdirSync(d).sort()).toEqual(['a', `b.tmp-${r.pid}`]);
  });
});
