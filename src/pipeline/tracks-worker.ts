// The tracks worker: runs finishEvent (tracks, submission bytes, score) for the pipeline on a second thread, so that
// an event's tracks overlap the next event's GNN; at the start of a run it can also read the first event's hits
// while the main thread loads the context. Requests queue in the worker's port and run in order, one at a time,
// answers in the same order; a job's arrays are handed over, not copied (the caller gives the job away). Errors
// come back as data and are rethrown here in their own form: an InputError stays one (one line, exit 2), a crash
// keeps the worker's stack.
import { Worker } from 'node:worker_threads';
import { errorFromData, type ErrorData } from '../core/errors.ts';
import { transferables } from '../core/transfer.ts';
import type { EventFiles, TrackmlEvent } from '../trackml/index.ts';
import type { FinishJob, FinishResult, StageSpan } from './finish-event.ts';

export type WorkerRequest =
  | { kind: 'finish'; job: FinishJob }
  /** With `warmUp` (the tracks settings): after answering, a warm-up track building on a thinned copy of the hits. */
  | { kind: 'read'; files: EventFiles; warmUp?: FinishJob['tracksCfg'] };

/** An event's hits read on the worker: the event, the read's milliseconds and its timeline span. */
export interface ReadResult {
  event: TrackmlEvent;
  ms: number;
  spans: StageSpan[];
}

type Reply = { finished: FinishResult } | { read: ReadResult } | { error: ErrorData };

export class TracksWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  private failed: Error | undefined;

  constructor() {
    // worker-boot.mjs registers tsx in the worker (workers do not inherit the loader), then imports the module.
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./finish-worker.ts', import.meta.url).href },
    });
    this.worker.on('message', (m: Reply) => {
      const w = this.waiting.shift();
      if ('error' in m) w?.reject(errorFromData(m.error));
      else w?.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`tracks worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  /** Requests posted and not yet answered (the one running and those queued). */
  get outstanding(): number {
    return this.waiting.length;
  }

  private request(req: WorkerRequest, transfer: ArrayBuffer[]): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  finish(job: FinishJob): Promise<FinishResult> {
    return this.request({ kind: 'finish', job }, transferables(job)).then((m) => (m as { finished: FinishResult }).finished);
  }

  /** The event's hits (as prepareEvent reads them), read on the worker; with `warmUp`, the worker then warms its
   * track building up on them (see finish-worker.ts). */
  read(files: EventFiles, warmUp?: FinishJob['tracksCfg']): Promise<ReadResult> {
    return this.request({ kind: 'read', files, warmUp }, []).then((m) => (m as { read: ReadResult }).read);
  }

  async close(): Promise<void> {
    this.failed ??= new Error('tracks worker closed');
    await this.worker.terminate();
  }
}
