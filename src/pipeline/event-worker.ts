// Worker-thread side of EventPool (src/pipeline/event-pool.ts): loads the graph context and the edge scorer once,
// then runs prepareEvent + finishEvent for each job posted (the same code the pipeline runs on its own thread).
import { parentPort, workerData } from 'node:worker_threads';
import { makeGraphContext } from '../graph/index.ts';
import { finishEvent } from './finish-event.ts';
import type { PoolInit, PoolJob } from './event-pool.ts';
import { prepareEvent } from './prepare-event.ts';
import { gnnScorer, truthScorer } from './scorers.ts';

const { config, configFile } = (workerData as { init: PoolInit }).init;
const ctx = makeGraphContext(config.graph, configFile ?? 'pipeline config');
const scorer = config.scorer === 'truth' ? truthScorer(config.truthNoise) : await gnnScorer(config.model, config.backend, undefined, config.filter);

parentPort!.on('message', async (job: PoolJob) => {
  try {
    const prepared = await prepareEvent(job.files, job.key, config, ctx, scorer, job.tracksCfg, job.subFile);
    parentPort!.postMessage({ record: finishEvent(prepared) });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
