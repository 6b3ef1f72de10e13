// What `npm run view -- --input DIR` shows: the events found in DIR and, when DIR is a pipeline's output folder
// whose hits live elsewhere, the events of the input folder its provenance records (provenance-pipeline.json):
// hits, truth and particles from there; graph, scores, tracks and record from DIR, which wins.
import { recordedInputDir } from '../../src/core/provenance.ts';
import { scanEventDir, type EventSources } from './event-data.ts';

/** Events of DIR, completed from the pipeline's recorded input where DIR lacks their hits. */
export function scanViewerInput(root: string): Map<string, EventSources> {
  const own = scanEventDir(root, true);
  const missingHits = [...own.values()].some((e) => e.hits === undefined);
  const input = own.size === 0 || missingHits ? recordedInputDir(root) : undefined;
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
