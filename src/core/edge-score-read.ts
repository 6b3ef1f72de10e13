// Reading an edge-score file from disk (Node only; the bytes' format is edge-score-file.ts, which the web build bundles).
import { readFileSync } from 'node:fs';
import { edgeScoresFromBytes } from './edge-score-file.ts';
import { InputError } from './errors.ts';

/** The score column of an edge-score file; with `edges`, its length must match the graph's edge count. */
export function readEdgeScores(file: string, edges?: number): Float32Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `not a readable edge-score file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return edgeScoresFromBytes(bytes, file, edges);
}
