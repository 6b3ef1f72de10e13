// Worker-thread side of TracksWorker (src/pipeline/tracks-worker.ts): finishEvent for each job posted. Errors go
// back as data (src/core/errors.ts errorToData) so that the main thread rethrows them in their own form.
import { parentPort } from 'node:worker_threads';
import { errorToData } from '../core/errors.ts';
import { finishEvent, type FinishJob } from './finish-event.ts';

parentPort!.on('message', (job: FinishJob) => {
  try {
    parentPort!.postMessage({ finished: finishEvent(job) });
  } catch (e) {
    parentPort!.postMessage({ error: errorToData(e) });
  }
});
