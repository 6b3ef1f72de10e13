// Worker-thread side of TracksWorker (src/pipeline/tracks-worker.ts): finishEvent for each job posted, and reading an
// event's hits when asked (the first event's, while the main thread loads the context). Answers go back in the order
// the requests came, their arrays handed over rather than copied; errors go back as data (src/core/errors.ts
// errorToData) so that the main thread rethrows them in their own form.
import { parentPort } from 'node:worker_threads';
import { errorToData } from '../core/errors.ts';
import { transferables } from '../core/transfer.ts';
import { readEvent } from '../trackml/index.ts';
import { finishEvent, lapTimer, type StageSpan } from './finish-event.ts';
import type { WorkerRequest } from './tracks-worker.ts';

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'read') {
      const spans: StageSpan[] = [];
      const lap = lapTimer(spans);
      const event = readEvent(req.files, ['hits']);
      const read = { event, ms: lap('read'), spans };
      parentPort!.postMessage({ read }, transferables(event));
    } else {
      const finished = finishEvent(req.job);
      parentPort!.postMessage({ finished }, transferables(finished.outputs));
    }
  } catch (e) {
    parentPort!.postMessage({ error: errorToData(e) });
  }
});
