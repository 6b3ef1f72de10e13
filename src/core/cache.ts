// Per-event cache records, the commit point of every stage. A record is written last, after the outputs it
// vouches for, and names: its cache key — a hash over the content of every input that can change the result
// (event files, the whole config, model weights, module map, detectors, code) — the inputs' hashes, and each
// output file's SHA-256. A rerun trusts an event only when its record parses, carries the current format and key,
// and every output file still hashes to the recorded value; anything else is recomputed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.ts';
import { inputFsError, writeFileAtomic } from './fs.ts';
import { digestFile, hashJson, type FileDigest } from './hash.ts';
import { recordFileName, type RecordStage } from './run-files.ts';

/** Bumped whenever a record's meaning changes (the code hash in the key sees code, not this format). 4: the
 * pipeline record gained the run's wall time per event, warm-up flag, tracks, threshold and evaluation counts (main's
 * format 3, a bare number, had no output hashes). */
export const RECORD_FORMAT = 'trackml-gnn-record/4';

/** An input file as the run named it, with its content digest. */
export interface InputDigest extends FileDigest {
  file: string;
}

/** What every stage's per-event record holds; stages add their results (counts, scores, timings). */
export interface RecordBase {
  format: string;
  stage: RecordStage;
  eventId: string;
  cacheKey: string;
  /** Input files by role (hits, truth, nodes, …) with their hashes: what the key covered. */
  inputs: Record<string, InputDigest>;
  /** Output file name (in the record's directory) → digest: what the record vouches for. */
  outputs: Record<string, FileDigest>;
}

/** SHA-256 (32 hex chars) of the JSON of `parts`. */
export const cacheKey = hashJson;

/** Digests of the given input files (undefined entries are left out). An unreadable input is the user's error. */
export function digestInputs(files: Record<string, string | undefined>): Record<string, InputDigest> {
  const out: Record<string, InputDigest> = {};
  for (const [role, file] of Object.entries(files)) {
    if (file === undefined) continue;
    try {
      out[role] = { file, ...digestFile(file) };
    } catch (err) {
      // What is wrong with the path (a dangling symlink names its target), one line; else the errno.
      const named = inputFsError(file, err);
      throw named instanceof InputError
        ? named
        : new InputError(file, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  return out;
}

/** The inputs' hashes only (paths are not part of a key: moving a directory keeps its cache). */
export function inputHashes(inputs: Record<string, InputDigest>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([role, d]) => [role, d.sha256]));
}

/** The record of `eventId` in `dir` when it can be trusted for `key` (see the file comment), else undefined. */
export function trustedRecord<T extends RecordBase>(dir: string, stage: RecordStage, eventId: string, key: string): T | undefined {
  let record: T;
  try {
    record = JSON.parse(readFileSync(path.join(dir, recordFileName(eventId, stage)), 'utf8')) as T;
  } catch {
    return undefined;
  }
  if (record?.format !== RECORD_FORMAT || record.stage !== stage || record.eventId !== eventId || record.cacheKey !== key) return undefined;
  for (const [name, want] of Object.entries(record.outputs ?? {})) {
    let have: FileDigest;
    try {
      have = digestFile(path.join(dir, name));
    } catch {
      return undefined;
    }
    if (have.bytes !== want.bytes || have.sha256 !== want.sha256) return undefined;
  }
  return record;
}

/** Writes the record (atomically, after its outputs): from here on the event counts as done. */
export function writeRecord(dir: string, record: RecordBase): void {
  writeFileAtomic(path.join(dir, recordFileName(record.eventId, record.stage)), JSON.stringify(record) + '\n');
}

/** Every record of `stage` in `dir` with the current format, by event id (e.g. to merge shards into a report). */
export function readRecords<T extends RecordBase>(dir: string, stage: RecordStage): T[] {
  const suffix = recordFileName('', stage);
  const out: T[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/^event\d{9}/.test(name) || name.slice(14) !== suffix) continue;
    try {
      const r = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T;
      if (r.format === RECORD_FORMAT && r.stage === stage) out.push(r);
    } catch {
      // a torn or foreign file is not a record
    }
  }
  return out;
}
