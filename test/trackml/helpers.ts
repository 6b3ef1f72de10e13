// Shared test helpers: where the real TrackML data lives, and throwaway temp dirs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared/trackml-data beside the clone; fails loudly when absent (CI always has it). */
export function realDataDir(): string {
  const dir = path.resolve(repoRoot, '..', 'shared', 'trackml-data');
  if (!existsSync(path.join(dir, 'detectors.csv.gz'))) {
    throw new Error(`real TrackML data not found at ${dir} (expected shared/trackml-data beside the repository)`);
  }
  return dir;
}

export function sampleEventFile(kind: 'hits' | 'cells' | 'particles' | 'truth'): string {
  return path.join(realDataDir(), 'sample-event', `event000000001-${kind}.csv.gz`);
}

/** A fresh temp dir, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trackml-io-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Byte view of any typed array, for bit-exact comparisons (NaN/-0 safe). */
export function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
