// Shared bits for scorer tests: the real sample truth's path, and columnar Truth/Submission from plain lists.
import { sampleEventFile } from '../real-data.ts';
import { allocTruth, type Submission, type Truth } from '../../src/trackml/types.ts';

export { repoRoot } from '../real-data.ts';

/** The real sample event's truth file (tests that read it run under describeRealData / itRealData). */
export const sampleTruthFile = (): string => sampleEventFile('truth');

export function makeTruth(hitIds: number[], particleIds: bigint[], weights: number[]): Truth {
  const truth = allocTruth(hitIds.length);
  truth.hitId.set(hitIds);
  truth.particleId.set(particleIds);
  truth.weight.set(weights);
  return truth;
}

export function makeSubmission(hitIds: number[], trackIds: bigint[]): Submission {
  return { hitId: Uint32Array.from(hitIds), trackId: BigInt64Array.from(trackIds) };
}
