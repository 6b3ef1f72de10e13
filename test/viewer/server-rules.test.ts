// The viewer server's guards as plain functions, on real files (fast, in-process, so mutation runs can judge them):
// which `/files/` request paths resolve inside the served folder, the content types and refusal texts a browser
// gets, and how a file is opened and read — missing, outside, unreadable, not a regular file, a socket, a FIFO
// (no hang), a file shorter than its stat size, a file over the size limit, a path that no longer names the opened
// file — without leaking descriptors.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { resolveServedFile, statusText, TYPES } from '../../viewer/server/request-rules.ts';
import { isInside, OPEN_FLAGS, openInside, readInside, ServeRefusal, stillNames } from '../../viewer/server/safe-files.ts';
import { tempDir } from '../real-data.ts';

const base = realpathSync(tempDir('viewer-rules-'));
const root = path.join(base, 'data');
const outside = path.join(base, 'outside.csv');
mkdirSync(path.join(root, 'sub'), { recursive: true });
writeFileSync(path.join(root, 'hits.csv'), 'hit_id,x\n1,2\n');
writeFileSync(outside, 'secret\n');
symlinkSync(outside, path.join(root, 'link-out.csv'));
symlinkSync(path.join(root, 'hits.csv'), path.join(root, 'link-in.csv'));

/** The refusal `f` throws, as status and reason. */
function refusal(f: () => unknown): { status: number; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof ServeRefusal) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('viewer request rules', () => {
  it('serves each data file type with the content type a browser needs under nosniff', () => {
    expect(TYPES).toEqual({
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.json': 'application/json',
      '.csv': 'text/csv',
      '.gz': 'application/gzip',
      '.arrow': 'application/vnd.apache.arrow.file',
    });
  });

  it('resolves plain relative paths inside the folder and refuses every escape form', () => {
    expect(resolveServedFile(root, 'sub/a.csv')).toEqual({ file: path.join(root, 'sub', 'a.csv') });
    expect(resolveServedFile(root, 'a//b.csv')).toEqual({ file: path.join(root, 'a', 'b.csv') }); // empty parts are harmless
    expect(resolveServedFile(root, 'x/C:/y.csv')).toEqual({ file: path.join(root, 'x', 'C:', 'y.csv') }); // a drive letter only at the start
    expect(resolveServedFile(root, '1:y.csv')).toEqual({ file: path.join(root, '1:y.csv') }); // not a drive
    for (const bad of [
      'C:/Windows/win.ini',
      'c:boot.ini',
      'a/../hits.csv',
      '%2e%2e/secret',
      '/etc/passwd',
      'a%00b',
      'a\\..\\b',
      '..',
      'sub/..',
    ]) {
      expect(resolveServedFile(root, bad), bad).toEqual({ status: 403 });
    }
    expect(resolveServedFile(root, '%E0%A4%A')).toEqual({ status: 400 }); // malformed percent-encoding
  });

  it('gives each refusal its own body', () => {
    expect([404, 400, 403].map(statusText)).toEqual(['not found\n', 'bad request\n', 'forbidden\n']);
  });
});

describe('viewer safe file access', () => {
  let sock: net.Server;
  beforeAll(async () => {
    sock = net.createServer();
    await new Promise<void>((resolve) => sock.listen(path.join(root, 'a.sock'), resolve));
  });
  afterAll(() => new Promise<void>((resolve) => sock.close(() => resolve())));

  it('tells which paths lie inside the folder once symlinks are resolved', () => {
    expect(isInside(root, path.join(root, 'hits.csv'))).toBe(true);
    expect(isInside(root, path.join(root, 'link-in.csv'))).toBe(true);
    expect(isInside(root, path.join(root, 'link-out.csv'))).toBe(false);
    expect(isInside(root, path.join(root, 'missing.csv'))).toBe(false);
  });

  it('refuses what is missing, outside, not a regular file or a socket, each with its reason', () => {
    const e = refusal(() => openInside(root, path.join(root, 'missing.csv')));
    expect(e).toEqual({ status: 404, message: 'not found' });
    expect(new ServeRefusal(404, 'x').name).toBe('ServeRefusal');
    expect(refusal(() => openInside(root, path.join(root, 'link-out.csv')))).toEqual({ status: 403, message: 'outside the served folder' });
    expect(refusal(() => openInside([path.join(base, 'elsewhere'), root], outside))).toEqual({
      status: 403,
      message: 'outside the served folder',
    });
    expect(refusal(() => openInside(root, path.join(root, 'sub')))).toEqual({ status: 404, message: 'not a regular file' });
    expect(refusal(() => openInside(root, path.join(root, 'a.sock')))).toEqual({ status: 404, message: 'not found' }); // open: ENXIO
    const { fd, size } = openInside([path.join(base, 'elsewhere'), root], path.join(root, 'link-in.csv'));
    closeSync(fd);
    expect(size).toBe(13);
  });

  it('opens a FIFO without waiting for a writer and refuses it; never follows a final symlink', () => {
    const fifo = path.join(root, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect(refusal(() => openInside(root, fifo))).toEqual({ status: 404, message: 'not a regular file' });
    expect(() => closeSync(openSync(path.join(root, 'link-in.csv'), OPEN_FLAGS))).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });

  // As root, a mode-000 file is readable and the test process may not drop privileges (mutation runs use worker
  // threads, where seteuid is unsupported): a write-only sysfs attribute is then the unreadable file (EACCES for root too).
  it('refuses an unreadable file with 403 (a mode-000 file for a server not run by root)', (ctx) => {
    let dir = root;
    let locked = path.join(root, 'locked.csv');
    if (process.getuid?.() === 0) {
      locked = '/sys/bus/pci/rescan';
      if (!existsSync(locked)) return ctx.skip();
      dir = '/sys';
    } else {
      writeFileSync(locked, 'x\n');
      chmodSync(locked, 0o000);
    }
    expect(refusal(() => openInside(dir, locked))).toEqual({ status: 403, message: 'not readable' });
  });

  it('checks that the path still names the opened file', () => {
    const file = path.join(root, 'hits.csv');
    const st = statSync(file);
    expect(stillNames(file, st)).toBe(true);
    expect(stillNames(file, { dev: st.dev, ino: st.ino + 1 })).toBe(false);
    expect(stillNames(file, { dev: st.dev + 1, ino: st.ino })).toBe(false);
    expect(stillNames(path.join(root, 'link-in.csv'), st)).toBe(false); // same file, but through a symlink now
    expect(stillNames(path.join(root, 'gone.csv'), st)).toBe(false);
  });

  it('reads whole files, stops at the real end of a file shorter than its size, refuses one over the limit, leaks no descriptor', () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < 40; i++) expect(Buffer.from(readInside(root, path.join(root, 'hits.csv'))).toString()).toBe('hit_id,x\n1,2\n');
    expect(fds()).toBeLessThan(before + 20);
    // A sysfs file states 4096 bytes and holds fewer: what was read, nothing of the unfilled buffer.
    const sys = '/sys/kernel/mm/transparent_hugepage/enabled';
    if (existsSync(sys) && statSync(sys).size > 100) {
      const got = Buffer.from(readInside('/sys', sys)).toString();
      expect(got.length).toBeLessThan(100);
      expect(got).toMatch(/^[a-z [\]]+\n$/);
    }
    const saved = process.env.TRACKML_MAX_FILE_SIZE;
    try {
      process.env.TRACKML_MAX_FILE_SIZE = '13'; // exactly the file's size: served
      expect(readInside(root, path.join(root, 'hits.csv')).length).toBe(13);
      process.env.TRACKML_MAX_FILE_SIZE = '12';
      const before2 = fds();
      for (let i = 0; i < 30; i++) {
        expect(() => readInside(root, path.join(root, 'hits.csv'))).toThrow(InputError);
      }
      expect(() => readInside(root, path.join(root, 'hits.csv'))).toThrow('its size (13 bytes) is over the input size limit (12 bytes)');
      expect(fds()).toBeLessThan(before2 + 15);
    } finally {
      if (saved === undefined) delete process.env.TRACKML_MAX_FILE_SIZE;
      else process.env.TRACKML_MAX_FILE_SIZE = saved;
    }
    expect(constants.O_NOFOLLOW & OPEN_FLAGS).not.toBe(0);
  });
});
