// The edge-score file (`<event>-edge-scores.arrow`, named in run-file-names.ts): its Arrow bytes both ways, with no
// Node I/O, so the web build can bundle it (the reader from disk: edge-score-read.ts). Apart from the file names so
// that only commands that touch Arrow files load apache-arrow (~0.3 s of CPU at start-up, 300 modules).
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { InputError } from './errors.ts';

/** Edge scores as Arrow bytes: columns src, dst (node rows), src_hit_id, dst_hit_id, score. */
export function edgeScoresToBytes(c: {
  src: Uint32Array;
  dst: Uint32Array;
  srcHitId: Uint32Array;
  dstHitId: Uint32Array;
  score: Float32Array;
}): Uint8Array {
  return tableToIPC(tableFromArrays({ src: c.src, dst: c.dst, src_hit_id: c.srcHitId, dst_hit_id: c.dstHitId, score: c.score }), 'file');
}

/** Edge-score file bytes (read by the caller: the viewer reads through a checked descriptor) → one score per graph
 * edge. A missing or non-float32 score column, a count other than `edges` (when given), or a score that is not a
 * number in [0, 1] (NaN from a diverged model) is the file's error, naming the first bad edge. */
export function edgeScoresFromBytes(bytes: Uint8Array, file: string, edges?: number): Float32Array {
  let col: unknown;
  try {
    col = tableFromIPC(bytes).getChild('score')?.toArray();
  } catch (err) {
    throw new InputError(file, undefined, `not a readable edge-score file (truncated or corrupt?): ${(err as Error).message}`);
  }
  if (!(col instanceof Float32Array)) throw new InputError(file, undefined, 'not an edge-score file: no float32 column "score"');
  if (edges !== undefined && col.length !== edges)
    throw new InputError(file, undefined, `${col.length} scores for ${edges} graph edges: graph and scores are from different runs`);
  for (let e = 0; e < col.length; e++) {
    if (!(col[e] >= 0 && col[e] <= 1)) throw new InputError(file, undefined, `edge ${e}: score ${col[e]} is not in [0, 1]`);
  }
  return col;
}
