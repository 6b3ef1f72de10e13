// Simulated events on the real and the procedural detector: geometry (every hit on its module, inside the
// bounds), bookkeeping (ids, nhits, cells, weights, noise share), determinism of the written files, and the
// realism figures of one full MU = 200 event within loose bounds.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DetectorIndex } from '../../src/geometry/index.ts';
import { simulateConfig } from '../../src/simulate/config.ts';
import { simulateEvent, type SimulatedEvent } from '../../src/simulate/simulate-event.ts';
import { eventStatistics } from '../../src/simulate/stats.ts';
import { decodeParticleId, writeEvent } from '../../src/trackml/index.ts';
import { describeRealData, itRealData, proceduralDetector, realDetector } from './helpers.ts';

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmpDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sim-test-'));
  tmpDirs.push(d);
  return d;
}

function checkGeometry(det: DetectorIndex, ev: SimulatedEvent): void {
  const local = new Float64Array(3);
  const { hits, truth } = ev;
  let unknownModule = 0;
  let outOfBounds = 0;
  let worstW = 0;
  for (let i = 0; i < hits.hitId.length; i++) {
    const m = det.moduleIndexOf(hits.volumeId[i], hits.layerId[i], hits.moduleId[i]);
    if (m < 0) {
      unknownModule++;
      continue;
    }
    // Measured and true positions both lie on the module's plane and inside its bounds. They are printed with
    // 6 significant digits like the real files: ≤ 0.005 mm at 1 m, hence the 0.01 mm margins.
    det.toLocal(m, hits.x[i], hits.y[i], hits.z[i], local);
    worstW = Math.max(worstW, Math.abs(local[2]));
    if (!det.inBounds(m, local[0], local[1], 0.01)) outOfBounds++;
    det.toLocal(m, truth.tx[i], truth.ty[i], truth.tz[i], local);
    worstW = Math.max(worstW, Math.abs(local[2]));
    if (!det.inBounds(m, local[0], local[1], 0.01)) outOfBounds++;
  }
  expect(unknownModule).toBe(0);
  expect(outOfBounds).toBe(0);
  expect(worstW).toBeLessThan(0.02);
}

function checkBookkeeping(ev: SimulatedEvent, noiseFraction: number): void {
  const { hits, truth, particles, cells } = ev;
  const n = hits.hitId.length;
  // Hit ids 1..N in volume/layer/module order, like the real files.
  let badId = 0;
  let badOrder = 0;
  for (let i = 0; i < n; i++) {
    if (hits.hitId[i] !== i + 1 || truth.hitId[i] !== i + 1) badId++;
    if (i > 0) {
      const prev = (hits.volumeId[i - 1] * 256 + hits.layerId[i - 1]) * 65536 + hits.moduleId[i - 1];
      const cur = (hits.volumeId[i] * 256 + hits.layerId[i]) * 65536 + hits.moduleId[i];
      if (cur < prev) badOrder++;
    }
  }
  expect(badId).toBe(0);
  expect(badOrder).toBe(0);
  // particles.nhits equals the truth count of every particle; truth ids all exist in particles.
  const count = new Map<bigint, number>();
  let noise = 0;
  for (const id of truth.particleId) {
    if (id === 0n) noise++;
    else count.set(id, (count.get(id) ?? 0) + 1);
  }
  const known = new Set(particles.particleId);
  expect(known.size).toBe(particles.particleId.length); // ids unique
  expect([...count.keys()].filter((id) => !known.has(id))).toEqual([]);
  let badNhits = 0;
  for (let p = 0; p < particles.particleId.length; p++) {
    if (particles.nhits[p] !== (count.get(particles.particleId[p]) ?? 0)) badNhits++;
  }
  expect(badNhits).toBe(0);
  expect(noise / n).toBeCloseTo(noiseFraction, 2);
  // Every hit has ≥ 1 cell; cells point at existing hits.
  const cellsPerHit = new Uint32Array(n + 1);
  for (const h of cells.hitId) cellsPerHit[h]++;
  expect(cellsPerHit.subarray(1).every((c) => c > 0)).toBe(true);
  expect(truth.weight.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
  // Ids: TrackML bit fields, secondaries point at a primary of the same vertex, most ids above 2^53.
  let big = 0;
  let badParts = 0;
  for (const id of particles.particleId) {
    const d = decodeParticleId(id);
    if (d.vertexId < 1 || d.primaryId < 1) badParts++;
    if (d.generation === 0 ? d.secondaryId + d.process !== 0 : d.secondaryId < 1 || d.process === 0) badParts++;
    if (id > 2n ** 53n) big++;
  }
  expect(badParts).toBe(0);
  expect(big / particles.particleId.length).toBeGreaterThan(0.5);
}

describe('a small event (MU = 10)', () => {
  const config = simulateConfig({ pileup: 10 });

  itRealData('on the real detector: hits on their modules, consistent tables', () => {
    const det = realDetector();
    const ev = simulateEvent(det, config, 5, 3);
    expect(ev.eventId).toBe('event000000003');
    expect(ev.hits.hitId.length).toBeGreaterThan(1000);
    checkGeometry(det, ev);
    checkBookkeeping(ev, config.noiseFraction);
  });

  it('on the procedural detector: the same', () => {
    const det = proceduralDetector();
    const ev = simulateEvent(det, config, 5, 3);
    checkGeometry(det, ev);
    checkBookkeeping(ev, config.noiseFraction);
  });

  it('is deterministic: same seed → byte-identical files, other seed or event → different', () => {
    const det = proceduralDetector();
    const small = simulateConfig({ pileup: 5 });
    const [a, b, c, d] = [tmpDir(), tmpDir(), tmpDir(), tmpDir()];
    writeEvent(a, simulateEvent(det, small, 9, 1));
    writeEvent(b, simulateEvent(det, small, 9, 1));
    writeEvent(c, simulateEvent(det, small, 10, 1));
    const other = simulateEvent(det, small, 9, 2);
    writeEvent(d, { ...other, eventId: 'event000000001' });
    const files = readdirSync(a).sort();
    expect(files).toEqual(['cells', 'hits', 'particles', 'truth'].map((k) => `event000000001-${k}.csv.gz`));
    for (const f of files) {
      expect(readFileSync(path.join(b, f)).equals(readFileSync(path.join(a, f)))).toBe(true);
      expect(readFileSync(path.join(c, f)).equals(readFileSync(path.join(a, f)))).toBe(false);
      expect(readFileSync(path.join(d, f)).equals(readFileSync(path.join(a, f)))).toBe(false);
    }
  });
});

describe('without material, in a uniform field', () => {
  itRealData('puts every truth hit of a particle on the helix of its production vertex and momentum', () => {
    const config = simulateConfig({
      pileup: 5,
      materialScale: 0,
      energyLoss: false,
      interactionScale: 0,
      passiveCylinders: [],
      noiseFraction: 0,
      solenoid: null,
    });
    const ev = simulateEvent(realDetector(), config, 4, 0);
    const { particles, truth } = ev;
    const row = new Map<bigint, number>();
    particles.particleId.forEach((id, j) => row.set(id, j));
    let worstRadius = 0;
    let worstZ = 0;
    let checked = 0;
    for (let i = 0; i < truth.hitId.length; i++) {
      const j = row.get(truth.particleId[i])!;
      const px = particles.px[j];
      const py = particles.py[j];
      const pt = Math.hypot(px, py);
      const q = particles.q[j];
      // Centre of the circle: R = pT / (0.3 · 2 T) m, to the right of the momentum for q > 0 (clockwise).
      const R = (pt / 0.6) * 1000;
      const xc = particles.vx[j] + (q * R * py) / pt;
      const yc = particles.vy[j] - (q * R * px) / pt;
      worstRadius = Math.max(worstRadius, Math.abs(Math.hypot(truth.tx[i] - xc, truth.ty[i] - yc) - R) / Math.max(1, R / 1000));
      // z grows with the turned angle: z − vz = (pz / pT) · R · |Δφ| (about half a turn at most by default: the
      // last crossing may lie just past it, so |Δφ| and 2π − |Δφ| are both candidates).
      const a0 = Math.atan2(particles.vy[j] - yc, particles.vx[j] - xc);
      const a1 = Math.atan2(truth.ty[i] - yc, truth.tx[i] - xc);
      let dPhi = Math.abs(a1 - a0);
      if (dPhi > Math.PI) dPhi = 2 * Math.PI - dPhi;
      const dz = (turned: number) => Math.abs(truth.tz[i] - particles.vz[j] - (particles.pz[j] / pt) * R * turned);
      worstZ = Math.max(worstZ, Math.min(dz(dPhi), dz(2 * Math.PI - dPhi)));
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
    // Float32 and 6 significant digits in vertex, momentum and positions: well under 0.1 mm.
    expect(worstRadius).toBeLessThan(0.05);
    expect(worstZ).toBeLessThan(0.1);
  });
});

describeRealData('a full event (MU = 200) on the real detector', () => {
  it('has realistic figures (loose bounds around the real-event targets)', () => {
    const ev = simulateEvent(realDetector(), simulateConfig(), 2026, 0);
    const s = eventStatistics(ev);
    // Targets from real MU = 200 events; one event fluctuates (Poisson pile-up, broad multiplicities).
    expect(s.nHits).toBeGreaterThan(70_000);
    expect(s.nHits).toBeLessThan(140_000);
    expect(s.nParticles).toBeGreaterThan(6_500);
    expect(s.nParticles).toBeLessThan(12_000);
    expect(s.noiseFraction).toBeCloseTo(0.165, 2);
    expect(s.zeroHitFraction).toBeGreaterThan(0.09);
    expect(s.zeroHitFraction).toBeLessThan(0.2);
    expect(s.atLeast4HitsFraction).toBeGreaterThan(0.68);
    expect(s.atLeast4HitsFraction).toBeLessThan(0.86);
    expect(s.meanHitsPerParticle).toBeGreaterThan(7.5);
    expect(s.meanHitsPerParticle).toBeLessThan(10);
    expect(s.ptMedianGeV).toBeGreaterThan(0.3);
    expect(s.ptMedianGeV).toBeLessThan(0.4);
    expect(s.ptAbove1GeVFraction).toBeGreaterThan(0.07);
    expect(s.ptAbove1GeVFraction).toBeLessThan(0.13);
    expect(s.absEtaMedian).toBeGreaterThan(1.35);
    expect(s.absEtaMedian).toBeLessThan(1.75);
    const target: Record<number, number> = {
      7: 0.14,
      8: 0.235,
      9: 0.135,
      12: 0.065,
      13: 0.215,
      14: 0.065,
      16: 0.025,
      17: 0.092,
      18: 0.024,
    };
    for (const [v, share] of Object.entries(target)) {
      expect(s.volumeShare[Number(v)]).toBeGreaterThan(share * 0.75);
      expect(s.volumeShare[Number(v)]).toBeLessThan(share * 1.25);
    }
  });
});
