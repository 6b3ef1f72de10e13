// Simulated events on disk, as `npm run simulate`, `stage:simulate` and `npm start` make them: one event at a time,
// each committed by a per-event record naming its four files' hashes (src/core/cache.ts), so a killed run resumes
// where it stopped and a rerun skips events whose files are intact. All I/O of the simulator lives here.
import path from 'node:path';
import { cacheKey, digestInputs, inputHashes, trustedRecord, writeRecord, type RecordBase, RECORD_FORMAT } from '../core/cache.ts';
import { openRunDir } from '../core/lock.ts';
import { inShard, shardTag, type Shard } from '../core/shard.ts';
import { Progress } from '../core/progress.ts';
import { codeHash, writeProvenance } from '../core/provenance.ts';
import { buildDetectorIndex, loadDetector } from '../geometry/index.ts';
import { formatEventId, writeEvent } from '../trackml/index.ts';
import type { SimulateConfig } from './config.ts';
import { simulateEvent } from './simulate-event.ts';

export interface SimulateRunOptions {
  output: string;
  events: number;
  seed: number;
  /** Number of the first event (events are firstEvent … firstEvent + events − 1). */
  firstEvent: number;
  gzip: boolean;
  /** A real detectors.csv[.gz] instead of the built-in detector. */
  detectors?: string;
  /** Only this shard's events (`--shard I/N`: by a hash of the event id, src/core/shard.ts). */
  shard?: Shard;
  simulate: SimulateConfig;
  /** Progress line on stderr (default true). */
  progress?: boolean;
}

/** `<event>-simulate-record.json`: what made the event and the files it vouches for. */
export interface SimulateRecord extends RecordBase {
  hits: number;
  particles: number;
  timingsMs: { simulate: number; write: number };
}

export interface SimulateRunResult {
  events: number;
  computed: number;
  hits: number;
  timingsMs: Record<string, number>;
}

/** Simulates events `firstEvent …` into `output`, skipping those whose record matches (event k depends only on
 * seed, k, the simulator config, the detector and the code). Provenance goes beside them. */
export function simulateEvents(o: SimulateRunOptions): SimulateRunResult {
  const release = openRunDir(o.output, o.shard);
  try {
    const detectorsInput = digestInputs({ detectors: o.detectors });
    // Built on first need: a rerun with every event up to date does not pay for it.
    let detector: ReturnType<typeof buildDetectorIndex> | undefined;
    // Per event: what makes event k (not how many events or which first one were asked for).
    const base = {
      stage: 'simulate',
      format: RECORD_FORMAT,
      code: codeHash('simulate'),
      seed: o.seed,
      gzip: o.gzip,
      simulate: o.simulate,
      detectors: inputHashes(detectorsInput),
    };
    const ids = Array.from({ length: o.events }, (_, k) => ({ eventId: formatEventId(o.firstEvent + k), k }));
    const mine = inShard(ids, o.shard);
    const progress = o.progress === false ? undefined : new Progress('simulate', mine.length);
    const timingsMs: Record<string, number> = {};
    let computed = 0;
    let hits = 0;
    for (const { eventId, k } of mine) {
      const key = cacheKey({ ...base, eventId });
      const cached = trustedRecord<SimulateRecord>(o.output, 'simulate', eventId, key);
      if (cached) {
        hits += cached.hits;
        progress?.tick(1, `${eventId} up to date`);
        continue;
      }
      const t0 = performance.now();
      detector ??= buildDetectorIndex(loadDetector(o.detectors));
      const event = simulateEvent(detector, o.simulate, o.seed, o.firstEvent + k);
      const t1 = performance.now();
      const files = writeEvent(o.output, event, { gzip: o.gzip });
      const t2 = performance.now();
      const outputs = Object.fromEntries(Object.entries(files.digests).map(([kind, d]) => [path.basename(files[kind as 'hits']!), d]));
      const record: SimulateRecord = {
        format: RECORD_FORMAT,
        stage: 'simulate',
        eventId,
        cacheKey: key,
        inputs: detectorsInput,
        outputs,
        hits: event.hits.hitId.length,
        particles: event.particles.particleId.length,
        timingsMs: { simulate: t1 - t0, write: t2 - t1 },
      };
      writeRecord(o.output, record);
      timingsMs[eventId] = t2 - t0;
      hits += record.hits;
      computed++;
      progress?.tick(
        1,
        `${eventId} ${record.hits} hits, ${record.particles} particles (simulate ${((t1 - t0) / 1000).toFixed(2)} s, write ${((t2 - t1) / 1000).toFixed(2)} s)`,
      );
    }
    writeProvenance(o.output, {
      stage: o.shard ? `simulate-${shardTag(o.shard)}` : 'simulate',
      config: {
        seed: o.seed,
        firstEvent: o.firstEvent,
        events: o.events,
        gzip: o.gzip,
        detectors: o.detectors ?? 'built-in',
        simulate: o.simulate,
      },
      inputs: o.detectors ? [o.detectors] : [],
      timingsMs,
      results: { events: mine.length, computed },
    });
    return { events: mine.length, computed, hits, timingsMs };
  } finally {
    release();
  }
}
