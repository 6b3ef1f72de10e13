// `npm run -s score -- --truth T --submission S` (flags: commands/score.ts): scores one event (two files), every
// submitted event (two directories), or every event of a Kaggle combined submission (`event_id,hit_id,track_id`)
// against a truth directory. Human lines first; the last stdout line is always one JSON object for scripts.
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { findEvents, isCombinedSubmission, readCombinedSubmission, readSubmission, readTruthForScoring } from '../trackml/index.ts';
import type { Submission } from '../trackml/types.ts';
import { pairSubmissions } from '../../scoring/pair-events.ts';
import { scoreEvent } from '../../scoring/score.ts';

const EVENT_ID_RE = /(event\d+)/;

interface EventScore {
  event: string | null;
  score: number;
  tracks: number;
  goodTracks: number;
  hits: number;
  totalWeight: number;
  loadMs: number;
  scoreMs: number;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    throw new InputError(p, undefined, 'no such file or directory');
  }
}

function scoreFiles(truthFile: string, submissionFile: string, event: string | null, given?: Submission): EventScore {
  const t0 = performance.now();
  const truth = readTruthForScoring(truthFile);
  const submission = given ?? readSubmission(submissionFile);
  const t1 = performance.now();
  const r = scoreEvent(truth, submission, { truthFile, submissionFile });
  const t2 = performance.now();
  return {
    event,
    score: r.score,
    tracks: r.tracks,
    goodTracks: r.goodTracks,
    hits: r.hits,
    totalWeight: r.totalWeight,
    loadMs: round(t1 - t0),
    scoreMs: round(t2 - t1),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function humanLine(s: EventScore): string {
  return (
    `${s.event ?? 'event'}  score ${s.score.toFixed(6)}  tracks ${s.tracks}  good ${s.goodTracks}  hits ${s.hits}` +
    `  (load ${s.loadMs} ms, score ${s.scoreMs} ms)`
  );
}

export function scoreCommand(flags: { truth: string; submission: string }): void {
  const truthIsDir = isDirectory(flags.truth);
  const submissionIsDir = isDirectory(flags.submission);
  if (truthIsDir && !submissionIsDir && isCombinedSubmission(flags.submission)) return scoreCombined(flags.truth, flags.submission);
  if (truthIsDir !== submissionIsDir) {
    throw new InputError(undefined, undefined, '--truth and --submission must both be files or both be directories');
  }
  if (!truthIsDir) {
    const s = scoreFiles(flags.truth, flags.submission, EVENT_ID_RE.exec(path.basename(flags.truth))?.[1] ?? null);
    process.stdout.write(`${humanLine(s)}\n${JSON.stringify(s)}\n`);
    return;
  }
  const { pairs, unscoredTruthEvents } = pairSubmissions(flags.truth, flags.submission);
  const events: EventScore[] = [];
  for (const p of pairs) {
    const s = scoreFiles(p.truth, p.submission, p.event);
    events.push(s);
    process.stdout.write(`${humanLine(s)}\n`);
  }
  const meanScore = events.reduce((sum, s) => sum + s.score, 0) / events.length;
  if (unscoredTruthEvents > 0) {
    process.stdout.write(`(${unscoredTruthEvents} truth event(s) without a submission, not scored)\n`);
  }
  process.stdout.write(`mean score ${meanScore.toFixed(6)} over ${events.length} event(s)\n`);
  process.stdout.write(`${JSON.stringify({ events, meanScore, unscoredTruthEvents })}\n`);
}

/** Every event of a combined submission against `<truthDir>/eventN-truth.csv[.gz]`; an event without truth is
 * an error (it cannot be scored), truth events absent from the file are counted as unscored. */
function scoreCombined(truthDir: string, file: string): void {
  const subs = readCombinedSubmission(file);
  const truthOf = new Map(
    findEvents(truthDir)
      .filter((e) => e.truth)
      .map((e) => [e.eventId, e.truth!]),
  );
  const events: EventScore[] = [];
  for (const [eventId, sub] of subs) {
    const truthFile = truthOf.get(eventId);
    if (!truthFile) throw new InputError(file, undefined, `${eventId}: no ${eventId}-truth.csv[.gz] in ${truthDir}`);
    const s = scoreFiles(truthFile, `${file} (${eventId})`, eventId, sub);
    events.push(s);
    process.stdout.write(`${humanLine(s)}\n`);
  }
  const unscoredTruthEvents = [...truthOf.keys()].filter((id) => !subs.has(id)).length;
  const meanScore = events.reduce((sum, s) => sum + s.score, 0) / events.length;
  if (unscoredTruthEvents > 0) process.stdout.write(`(${unscoredTruthEvents} truth event(s) without a submission, not scored)\n`);
  process.stdout.write(`mean score ${meanScore.toFixed(6)} over ${events.length} event(s)\n`);
  process.stdout.write(`${JSON.stringify({ events, meanScore, unscoredTruthEvents })}\n`);
}
