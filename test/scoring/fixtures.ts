// Shared bits for scorer tests: the real sample truth's path, and columnar Truth/Submission from plain lists.
import { sampleEventFile } from '../real-data.ts';
import type { Submission, Truth } from '../../src/trackml/types.ts';

export { repoRoot } from '../real-data.ts';

/** The real sample event's truth file; throws when ../shared/trackml-data is absent. */
export const sampleTruthFile = (): string => sampleEventFile('truth');

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
