// TrackML event file names: `eventNNNNNNNNN-<kind>.csv[.gz]` (the pattern: src/core/run-file-names.ts), the kinds in
// order, and event ids. Pure: event-files.ts lists them in a directory, the web page recognises dropped files by them.
import type { EventFileKind } from '../core/run-file-names.ts';

export { EVENT_FILE_RE, type EventFileKind } from '../core/run-file-names.ts';

export const EVENT_FILE_KINDS: readonly EventFileKind[] = ['hits', 'cells', 'particles', 'truth'];

/** "event000000042" for 42: the official nine-digit event id. */
export function formatEventId(eventNumber: number): string {
  if (!Number.isInteger(eventNumber) || eventNumber < 0 || eventNumber > 999_999_999) {
    throw new RangeError(`event number ${eventNumber} is not an integer in 0..999999999`);
  }
  return `event${String(eventNumber).padStart(9, '0')}`;
}
