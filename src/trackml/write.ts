// Writers for every TrackML file kind: columnar event model → CSV with the official header and column order.
// Floats print as the shortest text that reads back bit-identical; a `.gz` name gzips; writes are atomic.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import type { Column, ColumnKind, ColumnSpec } from './csv.ts';
import { formatFloat32, formatFloat64 } from './format-number.ts';
import {
  CELLS_COLUMNS,
  DETECTORS_COLUMNS,
  HITS_COLUMNS,
  PARTICLES_COLUMNS,
  SUBMISSION_COLUMNS,
  TRUTH_COLUMNS,
} from './read.ts';
import type { Cells, Detectors, Hits, Particles, Submission, Truth } from './types.ts';

export interface FormatOptions {
  /** Write integral floats without ".0" (36, -1), as the C++-written detectors.csv does. */
  bareIntegralFloats?: boolean;
}

function formatterFor(kind: ColumnKind, options: FormatOptions): (v: number | bigint) => string {
  const base = kind === 'f32' ? formatFloat32 : kind === 'f64' ? formatFloat64 : undefined;
  if (base === undefined) return String;
  if (!options.bareIntegralFloats) return base as (v: number | bigint) => string;
  return (v) => {
    const s = base(v as number);
    return s.endsWith('.0') ? s.slice(0, -2) : s;
  };
}

/** CSV text for columns in spec order (`undefined` entries for absent optional columns are left out). */
export function formatCsv(
  specs: readonly ColumnSpec[],
  columns: readonly (Column | undefined)[],
  options: FormatOptions = {},
): string {
  const present: { spec: ColumnSpec; col: Column }[] = [];
  specs.forEach((spec, i) => {
    const col = columns[i];
    if (col !== undefined) present.push({ spec, col });
    else if (!spec.optional) throw new Error(`formatCsv: required column ${spec.name} is missing`);
  });
  const rows = present[0].col.length;
  for (const { spec, col } of present) {
    if (col.length !== rows) throw new Error(`formatCsv: column ${spec.name} has ${col.length} rows, expected ${rows}`);
  }
  // Column by column first: each loop sees one array type and one formatter, so it stays monomorphic.
  const texts = present.map(({ spec, col }) => {
    const fmt = formatterFor(spec.kind, options);
    const out: string[] = new Array<string>(rows);
    for (let r = 0; r < rows; r++) out[r] = fmt(col[r]);
    return out;
  });
  const nCols = texts.length;
  const chunks: string[] = [present.map((p) => p.spec.name).join(',') + '\n'];
  // Then rows, in chunks: one long string per chunk keeps the join cheap and the ropes short.
  let chunk = '';
  for (let r = 0; r < rows; r++) {
    let line = texts[0][r];
    for (let c = 1; c < nCols; c++) line += ',' + texts[c][r];
    chunk += line + '\n';
    if ((r & 4095) === 4095) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  chunks.push(chunk);
  return chunks.join('');
}

/** Writes `text` to `file` (gzipped when the name ends in .gz) via a temp file and rename, so readers never see
 * a half-written file. A missing directory or no permission is the user's error. */
export function writeFileAtomic(file: string, text: string): void {
  const data = file.endsWith('.gz') ? gzipSync(Buffer.from(text, 'latin1')) : Buffer.from(text, 'latin1');
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(file, undefined, 'cannot write: directory does not exist');
    if (code === 'EACCES' || code === 'EROFS') throw new InputError(file, undefined, 'cannot write: permission denied');
    if (code === 'EISDIR') throw new InputError(file, undefined, 'cannot write: is a directory');
    throw err;
  }
}

export function writeHits(file: string, hits: Hits): void {
  const { hitId, x, y, z, volumeId, layerId, moduleId } = hits;
  writeFileAtomic(file, formatCsv(HITS_COLUMNS, [hitId, x, y, z, volumeId, layerId, moduleId]));
}

export function writeCells(file: string, cells: Cells): void {
  writeFileAtomic(file, formatCsv(CELLS_COLUMNS, [cells.hitId, cells.ch0, cells.ch1, cells.value]));
}

/** `particle_type` is written only when present (throughput-phase format). */
export function writeParticles(file: string, p: Particles): void {
  writeFileAtomic(
    file,
    formatCsv(PARTICLES_COLUMNS, [p.particleId, p.particleType, p.vx, p.vy, p.vz, p.px, p.py, p.pz, p.q, p.nhits]),
  );
}

export function writeTruth(file: string, t: Truth): void {
  writeFileAtomic(file, formatCsv(TRUTH_COLUMNS, [t.hitId, t.particleId, t.tx, t.ty, t.tz, t.tpx, t.tpy, t.tpz, t.weight]));
}

export function writeSubmission(file: string, s: Submission): void {
  writeFileAtomic(file, formatCsv(SUBMISSION_COLUMNS, [s.hitId, s.trackId]));
}

export function writeDetectors(file: string, d: Detectors): void {
  const n = d.volumeId.length;
  if (d.rot.length !== 9 * n) throw new Error(`writeDetectors: rot has ${d.rot.length} values, expected ${9 * n}`);
  const rotCols: Float64Array[] = [];
  for (let k = 0; k < 9; k++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = d.rot[9 * i + k];
    rotCols.push(col);
  }
  writeFileAtomic(
    file,
    formatCsv(DETECTORS_COLUMNS, [
      d.volumeId,
      d.layerId,
      d.moduleId,
      d.cx,
      d.cy,
      d.cz,
      ...rotCols,
      d.thicknessMm,
      d.minHalfUMm,
      d.maxHalfUMm,
      d.halfVMm,
      d.pitchUMm,
      d.pitchVMm,
    ], { bareIntegralFloats: true }),
  );
}
