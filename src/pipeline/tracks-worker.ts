// The tracks worker: runs finishEvent (tracks, submission, score) for the pipeline on a second thread, so that an
// event's tracks overlap the next event's GNN. One job at a time; errors come back as messages and are rethrown
// here with the worker's message.
import { Worker } from 'node:worker_threads';
import type { EventRecord, FinishJob } from './finish-event.ts';

type Reply = { record: EventRecord } | { error: string };

export class TracksWorker {
  private readonly worker: Worker;
  private waiting: { resolve: (r: EventRecord) => void; reject: (e: Error) => void } | undefined;
  private failed: Error | undefined;

  constructor() {
    // worker-boot.mjs registers tsx in the worker (workers do not inherit the loader), then imports the module.
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: new URL('./finish-worker.ts', import.meta.url).href } });
    this.worker.on('message', (m: Reply) => {
      const w = this.waiting;
      this.waiting = undefined;
      if ('record' in m) w?.resolve(m.record);
      else w?.reject(new Error(m.error));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`tracks worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    this.waiting?.reject(e);
    this.waiting = undefined;
  }

  finish(job: FinishJob): Promise<EventRecord> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiting) return Promise.reject(new Error('tracks worker: one job at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('tracks worker closed');
    await this.worker.terminate();
  }
}
