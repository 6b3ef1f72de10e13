// The tracks worker: runs finishEvent (tracks, submission bytes, score) for the pipeline on a second thread, so that
// an event's tracks overlap the next event's GNN. Jobs queue in the worker's port and run in order, one at a time,
// answers in the same order; errors come back as data and are rethrown here in their own form: an InputError stays
// one (one line, exit 2), a crash keeps the worker's stack.
import { Worker } from 'node:worker_threads';
import { errorFromData, type ErrorData } from '../core/errors.ts';
import type { FinishJob, FinishResult } from './finish-event.ts';

type Reply = { finished: FinishResult } | { error: ErrorData };

export class TracksWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: FinishResult) => void; reject: (e: Error) => void }[] = [];
  private failed: Error | undefined;

  constructor() {
    // worker-boot.mjs registers tsx in the worker (workers do not inherit the loader), then imports the module.
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./finish-worker.ts', import.meta.url).href },
    });
    this.worker.on('message', (m: Reply) => {
      const w = this.waiting.shift();
      if ('finished' in m) w?.resolve(m.finished);
      else w?.reject(errorFromData(m.error));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`tracks worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  /** Jobs posted and not yet answered (the one running and those queued). */
  get outstanding(): number {
    return this.waiting.length;
  }

  finish(job: FinishJob): Promise<FinishResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('tracks worker closed');
    await this.worker.terminate();
  }
}
