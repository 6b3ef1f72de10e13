// Directory mode of the scorer: pairs `eventN-submission.csv[.gz]` files with the truth files of a TrackML event
// directory by event id. File discovery only; scoring stays in score.ts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../src/core/errors.ts';
import { findEvents } from '../src/trackml/index.ts';

const SUBMISSION_FILE_RE = /^(event\d+)-submission\.csv(\.gz)?$/;

export interface EventPair {
  event: string;
  truth: string;
  submission: string;
}

/** Every submission in `submissionDir` with its truth from `truthDir`, sorted by event id. A submission without
 * truth, two submissions for one event, or no submission at all is an InputError; truth events nobody
 * submitted are only counted. */
export function pairSubmissions(truthDir: string, submissionDir: string): { pairs: EventPair[]; unscoredTruthEvents: number } {
  const truthOf = new Map<string, string>();
  for (const e of findEvents(truthDir)) if (e.truth !== undefined) truthOf.set(e.eventId, e.truth);
  let names: string[];
  try {
    // Sorted: pairs come out in event order and an ambiguous event names the same file everywhere. (libuv already
    // lists names sorted on Unix, so removing the sort cannot fail a test there.)
    // Stryker disable next-line MethodExpression: equivalent on Unix, see above
    names = readdirSync(submissionDir).sort();
  } catch {
    throw new InputError(submissionDir, undefined, 'cannot list this directory');
  }
  const submissionOf = new Map<string, string>();
  for (const name of names) {
    const m = SUBMISSION_FILE_RE.exec(name);
    if (m === null) continue;
    const file = path.join(submissionDir, name);
    const prev = submissionOf.get(m[1]);
    if (prev !== undefined) {
      throw new InputError(file, undefined, `ambiguous: ${path.basename(prev)} is also present; keep one of them`);
    }
    submissionOf.set(m[1], file);
  }
  if (submissionOf.size === 0) {
    throw new InputError(submissionDir, undefined, 'no eventNNN-submission.csv[.gz] files in this directory');
  }
  // In event order: the names were sorted, and a Map keeps insertion order.
  const pairs: EventPair[] = [];
  for (const [event, submission] of submissionOf) {
    const truth = truthOf.get(event);
    if (truth === undefined) {
      throw new InputError(submission, undefined, `no truth for ${event} in ${truthDir} (${event}-truth.csv[.gz])`);
    }
    pairs.push({ event, truth, submission });
  }
  return { pairs, unscoredTruthEvents: truthOf.size - pairs.length };
}
