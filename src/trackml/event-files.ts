// Event directories: find `eventNNNNNNNNN-<kind>.csv[.gz]` files, read one event's files into a TrackmlEvent,
// and write an event back under the official names.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.ts';
import { inputFsError, outputError } from '../core/fs.ts';
import type { FileDigest } from '../core/hash.ts';
import { EVENT_FILE_RE, eventFileName, type EventFileKind } from '../core/run-files.ts';
import { readCells, readHits, readParticles, readTruth } from './read.ts';
import type { TrackmlEvent } from './types.ts';
import { writeCells, writeHits, writeParticles, writeTruth } from './write.ts';
import { EVENT_FILE_KINDS } from './event-names.ts';

export type { EventFileKind } from '../core/run-files.ts';
export { EVENT_FILE_KINDS, formatEventId } from './event-names.ts';

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
    throw inputFsError(dir, err); // permission denied, a symbolic link loop, …: one line too
  }
  const byId = new Map<string, EventFiles>();
  // Stryker disable next-line MethodExpression: equivalent on Unix, where readdirSync (libuv's scandir) returns names sorted already
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
  // Already in eventId order: the names were sorted, and each starts with its fixed-width eventId.
  return [...byId.values()];
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
 * atomically, and returns the paths written with their digests. An event counts as present when its hits file is
 * (findEvents, the pipeline), so an earlier version's hits go first and the new hits last: a kill in between
 * leaves no event rather than new truth beside old hits. Other versions of the event's files (the other
 * suffix, kinds this event lacks) are removed. */
export function writeEvent(
  dir: string,
  event: TrackmlEvent,
  options: { gzip?: boolean } = {},
): EventFiles & { digests: Partial<Record<EventFileKind, FileDigest>> } {
  if (!/^event\d{9}$/.test(event.eventId)) throw new Error(`writeEvent: bad eventId "${event.eventId}"`);
  const gzip = options.gzip !== false;
  const name = (kind: EventFileKind, gz = gzip) => path.join(dir, eventFileName(event.eventId, kind, gz));
  const remove = (file: string) => {
    try {
      rmSync(file, { force: true });
    } catch (err) {
      throw outputError(file, err);
    }
  };
  remove(name('hits', true));
  remove(name('hits', false));
  for (const kind of EVENT_FILE_KINDS) {
    remove(name(kind, !gzip));
    if (event[kind] === undefined) remove(name(kind)); // never the hits: every event has them
  }
  const files: EventFiles & { digests: Partial<Record<EventFileKind, FileDigest>> } = { eventId: event.eventId, digests: {} };
  if (event.cells !== undefined) files.digests.cells = writeCells((files.cells = name('cells')), event.cells);
  if (event.particles !== undefined) files.digests.particles = writeParticles((files.particles = name('particles')), event.particles);
  if (event.truth !== undefined) files.digests.truth = writeTruth((files.truth = name('truth')), event.truth);
  files.digests.hits = writeHits((files.hits = name('hits')), event.hits);
  return files;
}
