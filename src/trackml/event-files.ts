// Event directories: find `eventNNNNNNNNN-<kind>.csv[.gz]` files, read one event's files into a TrackmlEvent,
// and write an event back under the official names.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { EVENT_FILE_KINDS, EVENT_FILE_RE, type EventFileKind } from './event-names.ts';
import { readCells, readHits, readParticles, readTruth } from './read.ts';
import type { TrackmlEvent } from './types.ts';
import { writeCells, writeHits, writeParticles, writeTruth } from './write.ts';

export { EVENT_FILE_KINDS, formatEventId, type EventFileKind } from './event-names.ts';

/** The files of one event that exist on disk (absolute or as joined from the directory given). */
export interface EventFiles {
  /** e.g. "event000000001" */
  eventId: string;
  hits?: string;
  cells?: string;
  particles?: string;
  truth?: string;
}

/** Every event in `dir`, sorted by eventId. Other files are ignored; an event with both .csv and .csv.gz of
 * the same kind is ambiguous and an error. */
export function findEvents(dir: string): EventFiles[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(dir, undefined, 'directory not found');
    if (code === 'ENOTDIR') throw new InputError(dir, undefined, 'not a directory');
    throw err;
  }
  const byId = new Map<string, EventFiles>();
  for (const name of names.sort()) {
    const m = EVENT_FILE_RE.exec(name);
    if (m === null) continue;
    const eventId = m[1];
    const kind = m[2] as EventFileKind;
    let entry = byId.get(eventId);
    if (entry === undefined) {
      entry = { eventId };
      byId.set(eventId, entry);
    }
    const full = path.join(dir, name);
    const prev = entry[kind];
    if (prev !== undefined) {
      throw new InputError(full, undefined, `ambiguous: ${path.basename(prev)} is also present; keep one of them`);
    }
    entry[kind] = full;
  }
  return [...byId.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/** Reads one event. `kinds` (default: every kind found) lists what to read; hits are always read, and a kind
 * asked for but absent is an error. */
export function readEvent(files: EventFiles, kinds?: readonly EventFileKind[]): TrackmlEvent {
  const want = new Set<EventFileKind>(kinds ?? EVENT_FILE_KINDS.filter((k) => files[k] !== undefined));
  want.add('hits');
  for (const kind of want) {
    if (files[kind] === undefined) {
      throw new InputError(undefined, undefined, `${files.eventId}: no ${kind} file (${files.eventId}-${kind}.csv[.gz])`);
    }
  }
  const event: TrackmlEvent = { eventId: files.eventId, hits: readHits(files.hits as string) };
  if (want.has('cells')) event.cells = readCells(files.cells as string);
  if (want.has('particles')) event.particles = readParticles(files.particles as string);
  if (want.has('truth')) event.truth = readTruth(files.truth as string);
  return event;
}

/** Writes every part the event holds as `<dir>/<eventId>-<kind>.csv.gz` (or `.csv` with gzip: false), each file
 * atomically; returns the paths written. */
export function writeEvent(dir: string, event: TrackmlEvent, options: { gzip?: boolean } = {}): EventFiles {
  if (!/^event\d{9}$/.test(event.eventId)) throw new Error(`writeEvent: bad eventId "${event.eventId}"`);
  const suffix = options.gzip === false ? '.csv' : '.csv.gz';
  const name = (kind: EventFileKind) => path.join(dir, `${event.eventId}-${kind}${suffix}`);
  const files: EventFiles = { eventId: event.eventId, hits: name('hits') };
  writeHits(name('hits'), event.hits);
  if (event.cells !== undefined) writeCells((files.cells = name('cells')), event.cells);
  if (event.particles !== undefined) writeParticles((files.particles = name('particles')), event.particles);
  if (event.truth !== undefined) writeTruth((files.truth = name('truth')), event.truth);
  return files;
}
