// What `npm run view -- --input DIR` shows: the events found in DIR and, when DIR is a pipeline's output folder
// whose hits live elsewhere, the events of the input folder its provenance records (provenance-pipeline.json):
// hits, truth and particles from there; graph, scores, tracks and record from DIR, which wins.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scanEventDir, type EventSources } from './event-data.ts';

/** The input directory a pipeline output records in its provenance, when it exists on this machine. */
export function recordedInput(dir: string): string | undefined {
  const file = path.join(dir, 'provenance-pipeline.json');
  if (!existsSync(file)) return undefined;
  let prov: { inputs?: unknown; results?: { inputDir?: unknown }; cwd?: unknown };
  try {
    prov = JSON.parse(readFileSync(file, 'utf8')) as typeof prov;
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  if (typeof prov.results?.inputDir === 'string') candidates.push(prov.results.inputDir);
  if (Array.isArray(prov.inputs) && typeof prov.inputs[0] === 'string') {
    const first = prov.inputs[0];
    // A relative path was relative to where the pipeline ran: try the working directory, then beside DIR.
    candidates.push(path.resolve(first), path.resolve(dir, '..', first), path.resolve(dir, first));
  }
  return candidates.map((c) => path.resolve(c)).find((c) => existsSync(c) && c !== path.resolve(dir));
}

/** Events of DIR, completed from the pipeline's recorded input where DIR lacks their hits. */
export function scanViewerInput(root: string): Map<string, EventSources> {
  const own = scanEventDir(root, true);
  const missingHits = [...own.values()].some((e) => e.hits === undefined);
  const input = own.size === 0 || missingHits ? recordedInput(root) : undefined;
  if (input) {
    for (const [id, e] of scanEventDir(input)) {
      const mine = own.get(id);
      if (!mine) continue; // only events the output holds
      for (const k of ['hits', 'truth', 'particles'] as const) mine[k] ??= e[k];
    }
  }
  for (const [id, e] of own) if (e.hits === undefined) own.delete(id);
  return own;
}
