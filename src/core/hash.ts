// Content hashes for the cache: SHA-256 of bytes in memory or of a file read in 1 MiB chunks (bounded memory,
// ~1 GB/s: a whole real event's hits, truth and particles hash in a few ms).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** What a record knows of a file: its SHA-256 (hex) and length. */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

export function digestBytes(data: string | Uint8Array): FileDigest {
  const h = createHash('sha256').update(data);
  return { sha256: h.digest('hex'), bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength };
}

const chunk = Buffer.allocUnsafe(1 << 20);

/** SHA-256 and length of a file's contents (throws the filesystem's error when it cannot be read). */
export function digestFile(file: string): FileDigest {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      h.update(chunk.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: h.digest('hex'), bytes };
}

/** SHA-256 (hex, first 32 chars) of the JSON of `parts`: a cache key. */
export function hashJson(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** A short hash (32 hex) over files' names and bytes: identifies model weights wherever their folder is copied to
 * (the edge filter's `weightsHash` a model records when trained behind it). */
export function contentHash(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f.slice(f.lastIndexOf('/') + 1)).update(readFileSync(f));
  return h.digest('hex').slice(0, 32);
}
