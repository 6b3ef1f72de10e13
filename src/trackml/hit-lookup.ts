// Hit id → row. TrackML hit ids are not 1..N (gaps, any order), so every join on hit id goes through this.
// A dense Int32Array table when ids are small (the usual case), a Map otherwise.
import { InputError } from '../core/errors.ts';

/** Dense tables cost 4 bytes per possible id: used up to 4 MiB whatever the hit count, beyond that only while they
 * stay within 32 bytes per hit, so a stray huge id (a user's file) cannot make a gigabyte table. */
const DENSE_LIMIT_FACTOR = 8;
const DENSE_MIN = 1 << 20;

/** Whether ids up to `maxId` among `n` hits get a dense Int32Array table (else a Map): the memory cap above. */
export function denseTableFits(maxId: number, n: number): boolean {
  return maxId < Math.max(DENSE_MIN, DENSE_LIMIT_FACTOR * n);
}

/** The largest id (0 for none). */
// Stryker disable next-line BlockStatement: equivalent — without a maximum no table fits and the Map path gives the same rows
function maxIdOf(ids: Uint32Array): number {
  let maxId = 0;
  // Stryker disable next-line EqualityOperator: equivalent — `i <= n` reads ids[n], undefined, which is never > maxId; `>=` keeps the same maximum
  for (let i = 0; i < ids.length; i++) if (ids[i] > maxId) maxId = ids[i];
  return maxId;
}

/** Returns `rowOf(id)`: the row holding hit `id`, or -1 when absent. Duplicate ids are a bug here (the readers
 * reject them), so this throws a plain Error. */
export function hitRowLookup(hitId: Uint32Array): (id: number) => number {
  const n = hitId.length;
  const maxId = maxIdOf(hitId);
  // Stryker disable next-line ConditionalExpression,BlockStatement: the table is the fast path only — the Map below gives the same rows (always-table is refused by huge ids, tested)
  if (denseTableFits(maxId, n)) {
    const table = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const id = hitId[i];
      if (table[id] !== -1) throw new Error(`hitRowLookup: duplicate hit id ${id} (rows ${table[id]} and ${i})`);
      table[id] = i;
    }
    return (id: number) => (id >= 0 && id <= maxId ? table[id] : -1);
  }
  const map = new Map<number, number>();
  // Stryker disable next-line EqualityOperator: equivalent — `i <= n` maps ids[n], undefined, a key no number finds
  for (let i = 0; i < n; i++) {
    const id = hitId[i];
    const prev = map.get(id);
    if (prev !== undefined) throw new Error(`hitRowLookup: duplicate hit id ${id} (rows ${prev} and ${i})`);
    map.set(id, i);
  }
  return (id: number) => map.get(id) ?? -1;
}

/** First pair of rows [earlier, later] holding the same id, or undefined when all ids are distinct. */
export function findDuplicateRows(ids: Uint32Array): [number, number] | undefined {
  const n = ids.length;
  const maxId = maxIdOf(ids);
  // Stryker disable next-line ConditionalExpression,BlockStatement: the table is the fast path only — the Map below finds the same pair
  if (denseTableFits(maxId, n)) {
    const firstRow = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const prev = firstRow[ids[i]];
      if (prev !== -1) return [prev, i];
      firstRow[ids[i]] = i;
    }
    return undefined;
  }
  const seen = new Map<number, number>();
  // Stryker disable next-line EqualityOperator: equivalent — `i <= n` looks up ids[n], undefined, which no earlier row holds
  for (let i = 0; i < n; i++) {
    const prev = seen.get(ids[i]);
    if (prev !== undefined) return [prev, i];
    seen.set(ids[i], i);
  }
  return undefined;
}

/** Checks that the hit ids read from `file` belong to the hits file `hitsFile` (`hitId`): each one present, none
 * twice, and with `all` every hit covered (truth must cover its event exactly; a graph holds a subset). A mismatch
 * means the two files come from different events: an InputError naming both, at the first offending row. */
export function checkHitsMatch(ids: Uint32Array, file: string, hitId: Uint32Array, hitsFile: string, all: boolean, csv = true): void {
  const rowOf = hitRowLookup(hitId);
  const seen = new Uint8Array(hitId.length);
  // CSV rows by line number (header = line 1); other files (Arrow graph nodes) by 0-based row in the message.
  const line = (r: number) => (csv ? r + 2 : undefined);
  const at = (r: number) => (csv ? '' : ` (row ${r})`);
  for (let r = 0; r < ids.length; r++) {
    const row = rowOf(ids[r]);
    if (row < 0)
      throw new InputError(file, line(r), `hit_id ${ids[r]}${at(r)} is not in ${hitsFile}: the two files are from different events`);
    if (seen[row]) throw new InputError(file, line(r), `hit_id ${ids[r]}${at(r)} appears twice`);
    seen[row] = 1;
  }
  if (all && ids.length !== hitId.length) {
    const missing = seen.indexOf(0);
    throw new InputError(
      file,
      undefined,
      `${ids.length} rows for the ${hitId.length} hits of ${hitsFile} (hit_id ${hitId[missing]} missing): the two files are from different events`,
    );
  }
}
