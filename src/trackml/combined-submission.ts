// Kaggle's combined submission: one CSV `event_id,hit_id,track_id` for many events (the TrackML challenge's
// upload format), read into and written from per-event submissions. event_id is the event number (1 for
// event000000001); rows of one event may be anywhere in the file.
import { InputError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { parseCsv, type ColumnSpec } from './csv.ts';
import { readInputBytes } from './input-file.ts';
import { formatEventId } from './event-files.ts';
import type { Submission } from './types.ts';

export const COMBINED_SUBMISSION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'event_id', kind: 'u32' },
  { name: 'hit_id', kind: 'u32' },
  { name: 'track_id', kind: 'i64' },
];

export const COMBINED_HEADER = 'event_id,hit_id,track_id';

/** True when the file's header is the combined format's. */
export function isCombinedSubmission(file: string): boolean {
  // TextDecoder drops a leading byte-order mark itself.
  const head = new TextDecoder().decode(readInputBytes(file).subarray(0, 64));
  return /^event_id,hit_id,track_id\r?\n/.test(head);
}

/** Per-event submissions of a combined file, keyed by event id (eventNNNNNNNNN), events in file order. A hit id
 * twice within one event is an error, as in a per-event file. */
export function readCombinedSubmission(file: string): Map<string, Submission> {
  const c = parseCsv(file, readInputBytes(file), COMBINED_SUBMISSION_COLUMNS, { exactHeader: true }).columns;
  const ev = c[0] as Uint32Array,
    hit = c[1] as Uint32Array,
    track = c[2] as BigInt64Array;
  const rows = new Map<number, number[]>();
  for (let r = 0; r < ev.length; r++) {
    let list = rows.get(ev[r]);
    if (!list) rows.set(ev[r], (list = []));
    list.push(r);
  }
  const out = new Map<string, Submission>();
  for (const [e, list] of rows) {
    const hitId = new Uint32Array(list.length);
    const trackId = new BigInt64Array(list.length);
    const firstRow = new Map<number, number>();
    list.forEach((r, k) => {
      const seen = firstRow.get(hit[r]);
      if (seen !== undefined) throw new InputError(file, r + 2, `hit_id ${hit[r]} of event ${e} repeats line ${seen + 2}`);
      firstRow.set(hit[r], r);
      hitId[k] = hit[r];
      trackId[k] = track[r];
    });
    out.set(formatEventId(e), { hitId, trackId });
  }
  return out;
}

/** Writes events' submissions as one combined CSV (events in the given order, rows as in each submission). */
export function writeCombinedSubmission(file: string, events: { eventId: string; submission: Submission }[]): void {
  const parts: string[] = [`${COMBINED_HEADER}\n`];
  for (const { eventId, submission } of events) {
    // Stryker disable next-line Regex: on an id that passes the check below, /event/ and /^event/ match the same text
    const n = Number(eventId.replace(/^event/, ''));
    if (!/^event\d{9}$/.test(eventId)) throw new InputError(undefined, undefined, `not an event id: ${eventId}`);
    let chunk = '';
    for (let i = 0; i < submission.hitId.length; i++) {
      chunk += `${n},${submission.hitId[i]},${submission.trackId[i]}\n`;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: when a chunk is flushed only bounds string lengths; the file's bytes are the same
      if (chunk.length > 1 << 20) (parts.push(chunk), (chunk = ''));
    }
    parts.push(chunk);
  }
  writeFileAtomic(file, parts.join(''));
}
