// `npm run layer-table -- --detectors PATH --output trackml-data/layer-table.json` (flags: commands/layer-table.ts):
// derives the compact layer table from a real detectors.csv(.gz), writes it atomically, and prints how well the
// procedural detector rebuilt from it matches the file (per volume).
import path from 'node:path';
// Not the geometry barrel: that loads the bundled table, which this command may be creating.
import { compareDetectors } from '../geometry/compare.ts';
import { deriveLayerTable, formatLayerTable, parseLayerTable } from '../geometry/layer-table.ts';
import { buildDetectorFromTable } from '../geometry/procedural.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { readDetectors } from '../trackml/index.ts';

export function layerTableCommand(flags: { detectors: string; output: string }): void {
  const output = flags.output;
  const real = readDetectors(flags.detectors);
  const table = deriveLayerTable(real, `${path.basename(flags.detectors)} (${real.volumeId.length} modules)`);
  const text = formatLayerTable(table);
  // Round trip through the writer's own text, exactly what loadDetector will read.
  const procedural = buildDetectorFromTable(parseLayerTable(JSON.parse(text), output));

  writeFileAtomic(output, text);

  process.stdout.write(`wrote ${output}: ${table.layers.length} layers, ${table.moduleCount} modules, ${text.length} bytes\n`);
  process.stdout.write('volume modules missing sameId_mean_mm sameId_max_mm nearest_max_mm normal_max_mrad size_mismatch\n');
  for (const v of compareDetectors(real, procedural)) {
    process.stdout.write(
      `${v.volumeId} ${v.moduleCount} ${v.missingCount} ${v.sameIdMeanMm.toExponential(2)} ${v.sameIdMaxMm.toExponential(2)} ` +
        `${v.nearestMaxMm.toExponential(2)} ${(v.normalMaxRad * 1000).toExponential(2)} ${v.sizeMismatchCount}\n`,
    );
  }
}
