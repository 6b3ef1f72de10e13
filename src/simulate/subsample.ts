// A particle subset of an event, made like the real 5 % sample event: a random share of the particles with all
// their hits, the same share of the noise hits, hit ids renumbered, official weights recomputed (they are relative
// within an event). Scores on such subsets of simulated events compare with the real sample's score; scores on
// whole events do not (a track builder has far fewer neighbours to confuse at 5 % of the density).
import type { Cells, Hits, Particles, TrackmlEvent, Truth } from '../trackml/types.ts';
import { allocHits, allocTruth } from '../trackml/index.ts';
import type { Rng } from './rng.ts';
import { computeTruthWeights } from './weights.ts';

/** Keeps each particle (and each noise hit) with probability `fraction`. Needs truth and particles; keeps cells when
 * present. Deterministic for a given `rng` state. */
export function subsampleEvent(event: TrackmlEvent, fraction: number, rng: Rng): TrackmlEvent {
  const { hits, truth, particles, cells } = event;
  if (truth === undefined || particles === undefined) throw new Error('subsampleEvent needs truth and particles');
  const keepParticle = new Map<bigint, boolean>();
  const pKeep: number[] = [];
  for (let i = 0; i < particles.particleId.length; i++) {
    const k = rng.uniform() < fraction;
    keepParticle.set(particles.particleId[i], k);
    if (k) pKeep.push(i);
  }
  // Truth rows follow hit rows in our files; match by hit id to be safe.
  const truthRow = new Map<number, number>();
  for (let t = 0; t < truth.hitId.length; t++) truthRow.set(truth.hitId[t], t);
  const keptRows: number[] = [];
  for (let h = 0; h < hits.hitId.length; h++) {
    const t = truthRow.get(hits.hitId[h]);
    if (t === undefined) continue;
    const pid = truth.particleId[t];
    if (pid === 0n ? rng.uniform() < fraction : keepParticle.get(pid) === true) keptRows.push(h);
  }
  const n = keptRows.length;
  const outHits: Hits = allocHits(n);
  const outTruth: Truth = allocTruth(n);
  const newId = new Map<number, number>();
  keptRows.forEach((h, k) => {
    const t = truthRow.get(hits.hitId[h])!;
    newId.set(hits.hitId[h], k + 1);
    outHits.hitId[k] = k + 1;
    outHits.x[k] = hits.x[h];
    outHits.y[k] = hits.y[h];
    outHits.z[k] = hits.z[h];
    outHits.volumeId[k] = hits.volumeId[h];
    outHits.layerId[k] = hits.layerId[h];
    outHits.moduleId[k] = hits.moduleId[h];
    outTruth.hitId[k] = k + 1;
    outTruth.particleId[k] = truth.particleId[t];
    outTruth.tx[k] = truth.tx[t];
    outTruth.ty[k] = truth.ty[t];
    outTruth.tz[k] = truth.tz[t];
    outTruth.tpx[k] = truth.tpx[t];
    outTruth.tpy[k] = truth.tpy[t];
    outTruth.tpz[k] = truth.tpz[t];
  });
  const pick = <T extends { length: number } & ArrayLike<number | bigint>>(a: T | undefined, make: (n: number) => T): T | undefined => {
    if (a === undefined) return undefined;
    const out = make(pKeep.length) as unknown as { [i: number]: number | bigint };
    pKeep.forEach((i, k) => (out[k] = a[i]));
    return out as unknown as T;
  };
  const outParticles: Particles = {
    particleId: pick(particles.particleId, (m) => new BigUint64Array(m))!,
    vx: pick(particles.vx, (m) => new Float32Array(m))!,
    vy: pick(particles.vy, (m) => new Float32Array(m))!,
    vz: pick(particles.vz, (m) => new Float32Array(m))!,
    px: pick(particles.px, (m) => new Float32Array(m))!,
    py: pick(particles.py, (m) => new Float32Array(m))!,
    pz: pick(particles.pz, (m) => new Float32Array(m))!,
    q: pick(particles.q, (m) => new Int8Array(m))!,
    nhits: pick(particles.nhits, (m) => new Uint16Array(m))!,
    particleType: pick(particles.particleType, (m) => new Int32Array(m)),
  };
  outTruth.weight = computeTruthWeights(outTruth, outParticles);
  const out: TrackmlEvent = { eventId: event.eventId, hits: outHits, truth: outTruth, particles: outParticles };
  if (cells !== undefined) out.cells = subsampleCells(cells, newId);
  return out;
}

function subsampleCells(cells: Cells, newId: Map<number, number>): Cells {
  const rows: number[] = [];
  for (let c = 0; c < cells.hitId.length; c++) if (newId.has(cells.hitId[c])) rows.push(c);
  return {
    hitId: Uint32Array.from(rows, (c) => newId.get(cells.hitId[c])!),
    ch0: Uint16Array.from(rows, (c) => cells.ch0[c]),
    ch1: Uint16Array.from(rows, (c) => cells.ch1[c]),
    value: Float32Array.from(rows, (c) => cells.value[c]),
  };
}
