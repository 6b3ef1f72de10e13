// CSV text of columnar data: the official header and column order, floats as the shortest text that reads back
// bit-identical. Pure: write.ts writes it to disk (gzipped for .gz), the web page offers it as a download.
import type { Column, ColumnKind, ColumnSpec } from './csv.ts';
import { formatFloat32, formatFloat64 } from './format-number.ts';
import { SUBMISSION_COLUMNS } from './parse.ts';
import type { Submission } from './types.ts';

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
export function formatCsv(specs: readonly ColumnSpec[], columns: readonly (Column | undefined)[], options: FormatOptions = {}): string {
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
    // Stryker disable next-line ArrayDeclaration: equivalent — every slot is assigned below; the size only avoids growing
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
    // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: when a chunk is flushed only bounds string lengths; the text is the same
    if ((r & 4095) === 4095) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  chunks.push(chunk);
  return chunks.join('');
}

/** A submission's CSV text (`hit_id,track_id`), as `npm run pipeline` writes it. */
export function formatSubmission(s: Submission): string {
  return formatCsv(SUBMISSION_COLUMNS, [s.hitId, s.trackId]);
}
