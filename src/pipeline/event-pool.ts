// Events in parallel: a fixed set of worker threads, each holding its own pipeline context (module map, edge scorer:
// an ONNX Runtime session with one intra-op thread), each running whole events (read → graph → GNN → tracks →
// submission bytes, src/pipeline/event-worker.ts). Workers write nothing: the output bytes come back and the main
// thread commits them and the record (src/pipeline/process-event.ts commitEvent), so every rename stays on one
// thread and an error keeps its form (an InputError stays one). With 2 workers on 2 cores both cores stay busy whatever the balance
// between the GNN half and the tracks half of an event, and the engine's single thread per worker cannot
// oversubscribe them. node's worker_threads rather than piscina: the workers are long-lived and stateful (a model
// session and a module map each, loaded once), one job each at a time, results matched by job; a pool library's
// queueing, idle timeouts and resizing would only get in the way.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { errorFromData, type ErrorData } from '../core/errors.ts';
import type { EventFiles } from '../trackml/index.ts';
import type { FinishResult } from './finish-event.ts';
import type { PipelineConfig } from './pipeline-config.ts';

export interface PoolJob {
  files: EventFiles;
}

/** What every worker loads once: the run's config (graph, scorer, tracks settings), and the hash of the main
 * thread's key parts, which the worker's own context must reproduce (a model or module map replaced after the run
 * started would otherwise be used under the key of the old one). */
export interface PoolInit {
  outputDir: string;
  config: PipelineConfig;
  configFile?: string;
  keyBaseHash: string;
}

type Reply = { finished: FinishResult } | { error: ErrorData };

/** Workers for `requested` ('auto': one per core) and `events` to compute: never more workers than events. */
export function poolSize(requested: number | 'auto', events: number): number {
  const n = requested === 'auto' ? availableParallelism() : requested;
  return Math.max(1, Math.min(n, events));
}

interface Slot {
  worker: Worker;
  job?: { resolve: (r: FinishResult) => void; reject: (e: Error) => void };
  failed?: Error;
}

export class EventPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: PoolJob; resolve: (r: FinishResult) => void; reject: (e: Error) => void }[] = [];

  constructor(workers: number, init: PoolInit) {
    for (let i = 0; i < workers; i++) {
      // worker-boot.mjs registers tsx in the worker (workers do not inherit the loader), then imports the module.
      const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
        workerData: { module: new URL('./event-worker.ts', import.meta.url).href, init },
      });
      const slot: Slot = { worker };
      worker.on('message', (m: Reply) => {
        const j = slot.job;
        slot.job = undefined;
        if ('finished' in m) j?.resolve(m.finished);
        else j?.reject(errorFromData(m.error));
        this.next(slot);
      });
      worker.on('error', (e) => this.fail(slot, e));
      worker.on('exit', (code) => this.fail(slot, new Error(`event worker exited (code ${code})`)));
      this.slots.push(slot);
    }
  }

  /** Runs one event on the next free worker; resolves with its result and output bytes (nothing written yet). */
  process(job: PoolJob): Promise<FinishResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      const free = this.slots.find((s) => !s.job && !s.failed);
      if (free) this.next(free);
      else if (this.slots.every((s) => s.failed)) this.drain(this.slots[0].failed!);
    });
  }

  private next(slot: Slot): void {
    if (slot.job || slot.failed) return;
    const item = this.queue.shift();
    if (!item) return;
    slot.job = { resolve: item.resolve, reject: item.reject };
    slot.worker.postMessage(item.job);
  }

  private fail(slot: Slot, e: Error): void {
    slot.failed ??= e;
    slot.job?.reject(e);
    slot.job = undefined;
    if (this.slots.every((s) => s.failed)) this.drain(e);
  }

  private drain(e: Error): void {
    for (const item of this.queue.splice(0)) item.reject(e);
  }

  async close(): Promise<void> {
    for (const s of this.slots) s.failed ??= new Error('event pool closed');
    this.drain(new Error('event pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
