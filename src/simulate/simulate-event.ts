// The simulator's entry: one full TrackML event (hits, cells, particles, truth with official weights) from a
// detector, a config, a run seed and the event number. Deterministic: the event's random stream depends only
// on (seed, event number).
import type { DetectorIndex } from '../geometry/index.ts';
import { allocHits, allocTruth, formatEventId } from '../trackml/index.ts';
import type { Cells, Hits, Particles, TrackmlEvent, Truth } from '../trackml/types.ts';
import type { SimulateConfig } from './config.ts';
import { generatePrimaries } from './generator.ts';
import { HitBuffer } from './hit-buffer.ts';
import { addNoiseHits } from './noise.ts';
import { ParticleList } from './particle-list.ts';
import { Propagator } from './propagate.ts';
import { eventRng } from './rng.ts';
import { computeTruthWeights } from './weights.ts';

/** 10^k for k = −POW10_OFFSET … POW10_OFFSET: round6 runs ~10^6 times per event, Math.pow was a tenth of assembly. */
const POW10_OFFSET = 40;
const POW10 = Float64Array.from({ length: 2 * POW10_OFFSET + 1 }, (_, i) => Math.pow(10, i - POW10_OFFSET));

/** Rounds to 6 significant digits, like the real files' text (%g): the float32 then prints as that short text. */
export function round6(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const k = 5 - Math.floor(Math.log10(Math.abs(x)));
  const scale = k >= -POW10_OFFSET && k <= POW10_OFFSET ? POW10[k + POW10_OFFSET] : Math.pow(10, k);
  return Math.round(x * scale) / scale;
}

/** Hit capacity a MU = 200 event fits in without growing its arrays (about 110 k hits, 3 cells each). */
const EVENT_HIT_CAPACITY = 1 << 17;
const EVENT_CELL_CAPACITY = 1 << 19;

/** A simulated event always has every table. */
export type SimulatedEvent = Required<TrackmlEvent>;

/** Simulates event `eventNumber` (0 … 999,999,999; its id is eventNNNNNNNNN) of a run with `seed`. */
export function simulateEvent(det: DetectorIndex, config: SimulateConfig, seed: number, eventNumber: number): SimulatedEvent {
  const rng = eventRng(seed, eventNumber);
  const particles = new ParticleList();
  generatePrimaries(rng, config, particles);
  const hits = new HitBuffer(
    Math.min(EVENT_HIT_CAPACITY, 4096 + 600 * config.pileup),
    Math.min(EVENT_CELL_CAPACITY, 16384 + 2400 * config.pileup),
  );
  const propagator = new Propagator(det, config, rng, particles, hits);
  // Secondaries are appended while propagating; the loop picks them up.
  for (let p = 0; p < particles.length; p++) {
    if (Math.hypot(particles.px[p], particles.py[p]) >= config.simulatedPtMinGeV) propagator.propagate(p);
  }
  const signal = hits.length;
  const f = config.noiseFraction;
  addNoiseHits(det, Math.round((signal * f) / (1 - f)), config, rng, hits);
  return assembleEvent(det, formatEventId(eventNumber), hits, particles);
}

/** Orders hits like real files (by volume, layer, module: the detector's module rows), numbers them 1..N and
 * builds the four tables. */
function assembleEvent(det: DetectorIndex, eventId: string, buf: HitBuffer, list: ParticleList): SimulatedEvent {
  const n = buf.length;
  // Counting sort by module row, stable (ties keep their order): the same order as sorting by (module, row).
  const start = new Int32Array(det.moduleCount + 1);
  for (let i = 0; i < n; i++) start[buf.module[i] + 1]++;
  for (let m = 0; m < det.moduleCount; m++) start[m + 1] += start[m];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[start[buf.module[i]]++] = i;

  // Particles sorted by id like the real files.
  const pOrder = Array.from({ length: list.length }, (_, i) => i).sort((a, b) =>
    list.particleId[a] < list.particleId[b] ? -1 : list.particleId[a] > list.particleId[b] ? 1 : 0,
  );
  const all = list.toParticles();
  const particles: Particles = {
    particleId: BigUint64Array.from(pOrder, (i) => all.particleId[i]),
    particleType: Int32Array.from(pOrder, (i) => all.particleType![i]),
    vx: Float32Array.from(pOrder, (i) => round6(all.vx[i])),
    vy: Float32Array.from(pOrder, (i) => round6(all.vy[i])),
    vz: Float32Array.from(pOrder, (i) => round6(all.vz[i])),
    px: Float32Array.from(pOrder, (i) => round6(all.px[i])),
    py: Float32Array.from(pOrder, (i) => round6(all.py[i])),
    pz: Float32Array.from(pOrder, (i) => round6(all.pz[i])),
    q: Int8Array.from(pOrder, (i) => all.q[i]),
    nhits: Uint16Array.from(pOrder, (i) => all.nhits[i]),
  };

  const { hits, cells, truth } = buildHitTables(det, buf, order, list);
  truth.weight = computeTruthWeights(truth, particles);
  return { eventId, hits, cells, particles, truth };
}

function buildHitTables(
  det: DetectorIndex,
  buf: HitBuffer,
  order: Int32Array,
  list: ParticleList,
): { hits: Hits; cells: Cells; truth: Truth } {
  const n = order.length;
  const hits = allocHits(n);
  const truth = allocTruth(n);
  let nCells = 0;
  for (let k = 0; k < n; k++) nCells += buf.cellCount[order[k]];
  const cells: Cells = {
    hitId: new Uint32Array(nCells),
    ch0: new Uint16Array(nCells),
    ch1: new Uint16Array(nCells),
    value: new Float32Array(nCells),
  };
  let c = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const hitId = k + 1;
    hits.hitId[k] = hitId;
    hits.x[k] = round6(buf.x[i]);
    hits.y[k] = round6(buf.y[i]);
    hits.z[k] = round6(buf.z[i]);
    const m = buf.module[i];
    hits.volumeId[k] = det.volumeId[m];
    hits.layerId[k] = det.layerId[m];
    hits.moduleId[k] = det.moduleId[m];
    truth.hitId[k] = hitId;
    const p = buf.particle[i];
    truth.particleId[k] = p < 0 ? 0n : list.particleId[p];
    truth.tx[k] = round6(buf.tx[i]);
    truth.ty[k] = round6(buf.ty[i]);
    truth.tz[k] = round6(buf.tz[i]);
    truth.tpx[k] = round6(buf.tpx[i]);
    truth.tpy[k] = round6(buf.tpy[i]);
    truth.tpz[k] = round6(buf.tpz[i]);
    for (let j = buf.cellStart[i], end = j + buf.cellCount[i]; j < end; j++, c++) {
      cells.hitId[c] = hitId;
      cells.ch0[c] = buf.ch0[j];
      cells.ch1[c] = buf.ch1[j];
      cells.value[c] = round6(buf.cellValue[j]);
    }
  }
  return { hits, cells, truth };
}
