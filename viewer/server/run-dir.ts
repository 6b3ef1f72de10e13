// What `npm run view -- --input DIR` shows: the events found in DIR and, when DIR is a pipeline's output folder
// whose hits live elsewhere, the events of the input folder its provenance records (provenance-pipeline.json):
// hits, truth and particles from there; graph, scores, tracks and record from DIR, which wins.
import { realpathSync } from 'node:fs';
import { recordedInputDir } from '../../src/core/provenance.ts';
import { scanEventDir, type EventSources } from './event-data.ts';

export interface ViewerInput {
  events: Map<string, EventSources>;
  /** Real paths of the folders the events' files come from (DIR first, then the recorded input, when used): the
   * server serves files inside these and nothing else. */
  roots: string[];
}

/** Events of DIR, completed from the pipeline's recorded input where DIR lacks their hits. */
export function scanViewerInput(root: string): ViewerInput {
  const own = scanEventDir(root, true);
  const roots = [realpathSync(root)];
  const missingHits = [...own.values()].some((e) => e.hits === undefined);
  const input = own.size === 0 || missingHits ? recordedInputDir(root) : undefined;
  if (input) {
    let used = false;
    for (const [id, e] of scanEventDir(input)) {
      const mine = own.get(id);
      if (!mine) continue; // only events the output holds
      for (const k of ['hits', 'truth', 'particles'] as const) {
        if (mine[k] === undefined && e[k] !== undefined) {
          mine[k] = e[k];
          used = true;
        }
      }
    }
    if (used) roots.push(realpathSync(input));
  }
  for (const [id, e] of own) if (e.hits === undefined) own.delete(id);
  return { events: own, roots };
}
