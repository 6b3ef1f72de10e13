// Shared bits for scorer tests: the real sample truth's path, and columnar Truth/Submission from plain lists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Submission, Truth } from '../../src/trackml/types.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The real sample event's truth file (../shared/trackml-data beside the repo); throws when it is absent. */
export function sampleTruthFile(): string {
  const file = path.resolve(repoRoot, '..', 'shared', 'trackml-data', 'sample-event', 'event000000001-truth.csv.gz');
  if (!existsSync(file)) {
    throw new Error(`real TrackML sample missing: expected ${file} (../shared/trackml-data beside the repo)`);
  }
  return file;
}

export function makeTruth(hitIds: number[], particleIds: bigint[], weights: number[]): Truth {
  const n = hitIds.length;
  return {
    hitId: Uint32Array.from(hitIds),
    particleId: BigUint64Array.from(particleIds),
    tx: new Float32Array(n),
    ty: new Float32Array(n),
    tz: new Float32Array(n),
    tpx: new Float32Array(n),
    tpy: new Float32Array(n),
    tpz: new Float32Array(n),
    weight: Float64Array.from(weights),
  };
}

export function makeSubmission(hitIds: number[], trackIds: bigint[]): Submission {
  return { hitId: Uint32Array.from(hitIds), trackId: BigInt64Array.from(trackIds) };
}
