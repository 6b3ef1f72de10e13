// Worker-thread side of TracksWorker (src/pipeline/tracks-worker.ts): finishEvent for each job posted.
import { parentPort } from 'node:worker_threads';
import { finishEvent, type FinishJob } from './finish-event.ts';

parentPort!.on('message', (job: FinishJob) => {
  try {
    parentPort!.postMessage({ record: finishEvent(job) });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
