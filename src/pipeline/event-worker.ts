// Worker-thread side of EventPool (src/pipeline/event-pool.ts): loads the pipeline context once (module map and
// edge scorer, hashed as the main thread hashed them), then runs prepareEvent + finishEvent for each job posted (the
// same code the pipeline runs on its own thread) and sends back the result and output bytes; errors go back as
// data (src/core/errors.ts) so the main thread rethrows them in their own form.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError, errorToData } from '../core/errors.ts';
import { hashJson } from '../core/hash.ts';
import { transferables } from '../core/transfer.ts';
import { finishEvent } from './finish-event.ts';
import type { PoolInit, PoolJob } from './event-pool.ts';
import { makePipelineContext, prepareEvent } from './process-event.ts';

const init = (workerData as { init: PoolInit }).init;
const ctx = await makePipelineContext(init.outputDir, init.config, init.configFile ?? 'pipeline config', undefined, init.workers);
// The worker read the model, module map and code itself: they must be the ones the run's keys were made of.
const changed = hashJson(ctx.keyBase) !== init.keyBaseHash;

parentPort!.on('message', async (job: PoolJob) => {
  try {
    if (changed)
      throw new InputError(
        undefined,
        undefined,
        'the model, module map, detectors file or code changed while the run started; run it again',
      );
    const finished = finishEvent(await prepareEvent(ctx, job.files));
    parentPort!.postMessage({ finished }, transferables(finished.outputs));
  } catch (e) {
    parentPort!.postMessage({ error: errorToData(e) });
  }
});
