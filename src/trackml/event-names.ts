// TrackML event file names: `eventNNNNNNNNN-<kind>.csv[.gz]`. Pure: event-files.ts lists them in a directory, the
// web page recognises dropped files by them.

export type EventFileKind = 'hits' | 'cells' | 'particles' | 'truth';
export const EVENT_FILE_KINDS: readonly EventFileKind[] = ['hits', 'cells', 'particles', 'truth'];

export const EVENT_FILE_RE = /^(event\d{9})-(hits|cells|particles|truth)\.csv(\.gz)?$/;

/** "event000000042" for 42: the official nine-digit event id. */
export function formatEventId(eventNumber: number): string {
  if (!Number.isInteger(eventNumber) || eventNumber < 0 || eventNumber > 999_999_999) {
    throw new RangeError(`event number ${eventNumber} is not an integer in 0..999999999`);
  }
  return `event${String(eventNumber).padStart(9, '0')}`;
}

