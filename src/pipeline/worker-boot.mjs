// Entry of the pipeline's worker threads: worker threads do not inherit tsx's loader, so register it here, then
// import the TypeScript module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
