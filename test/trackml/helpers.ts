// Shared test helpers for the I/O tests: the real data location (test/real-data.ts) and bit-exact comparisons.
export { describeRealData, itRealData, realDataDir, sampleEventFile, tempDir } from '../real-data.ts';

/** Byte view of any typed array, for bit-exact comparisons (NaN/-0 safe). */
export function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
