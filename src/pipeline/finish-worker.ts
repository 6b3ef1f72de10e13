// Worker-thread side of TracksWorker (src/pipeline/tracks-worker.ts): finishEvent for each job posted, and reading an
// event's hits when asked (the first event's, while the main thread loads the context). Answers go back in the order
// the requests came, their arrays handed over rather than copied; errors go back as data (src/core/errors.ts
// errorToData) so that the main thread rethrows them in their own form.
import { parentPort } from 'node:worker_threads';
import { errorToData } from '../core/errors.ts';
import { transferables } from '../core/transfer.ts';
import { readEvent, type Hits } from '../trackml/index.ts';
import { buildEventTracks } from '../tracks/index.ts';
import type { Graph } from '../graph/index.ts';
import { finishEvent, lapTimer, type FinishJob, type StageSpan } from './finish-event.ts';
import type { WorkerRequest } from './tracks-worker.ts';

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'read') {
      const spans: StageSpan[] = [];
      const lap = lapTimer(spans);
      const event = readEvent(req.files, ['hits']);
      const read = { event, ms: lap('read'), spans };
      const thin = req.warmUp && everyNthHit(event.hits, WARM_UP_STRIDE);
      parentPort!.postMessage({ read }, transferables(event));
      if (thin) warmUp(thin, event.eventId, req.warmUp!);
    } else {
      const finished = finishEvent(req.job);
      parentPort!.postMessage({ finished }, transferables(finished.outputs));
    }
  } catch (e) {
    parentPort!.postMessage({ error: errorToData(e) });
  }
});

/** Track building on `hits` with no graph, result dropped: its code gets JIT-compiled before the first real
 * event. The read is answered already, so a failure here must not answer anything: the real event's own track
 * building would meet the same problem and report it. */
function warmUp(hits: Hits, eventId: string, tracksCfg: FinishJob['tracksCfg']): void {
  try {
    buildEventTracks(hits, emptyGraph(eventId), new Float32Array(0), tracksCfg);
  } catch {
    // see above
  }
}

/** Every how many hits the warm-up keeps: ~13 k of a full event, a few hundred ms of CPU on a cold worker. */
const WARM_UP_STRIDE = 8;

/** Rows 0, n, 2n, … of every column. */
function everyNthHit(hits: Hits, n: number): Hits {
  const rows = Math.ceil(hits.hitId.length / n);
  const pick = <A extends Hits[keyof Hits]>(a: A): A => {
    const out = new (a.constructor as new (len: number) => A)(rows);
    for (let i = 0, j = 0; j < rows; i += n, j++) out[j] = a[i];
    return out;
  };
  return Object.fromEntries(Object.entries(hits).map(([k, a]) => [k, pick(a as Hits[keyof Hits])])) as unknown as Hits;
}

/** A graph without nodes or edges: track building then seeds every hit itself. */
function emptyGraph(eventId: string): Graph {
  const u32 = new Uint32Array(0);
  const u8 = new Uint8Array(0);
  const f32 = new Float32Array(0);
  return { eventId, hitId: u32, volumeId: u8, layer: u8, nodeFeatures: f32, src: u32, dst: u32, edgeFeatures: f32 };
}
