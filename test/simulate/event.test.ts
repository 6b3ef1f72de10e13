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
import { writeEvent } from '../../src/trackml/event-files.ts';
import { decodeParticleId } from '../../src/trackml/index.ts';
import { proceduralDetector, realDetector } from './helpers.ts';

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
  let worstW = 0;
  let worstTrueW = 0;
  for (let i = 0; i < hits.hitId.length; i++) {
    const m = det.moduleIndexOf(hits.volumeId[i], hits.layerId[i], hits.moduleId[i]);
    expect(m).toBeGreaterThanOrEqual(0);
    det.toLocal(m, hits.x[i], hits.y[i], hits.z[i], local);
    worstW = Math.max(worstW, Math.abs(local[2]));
    // Positions are printed with 6 significant digits like the real files: ≤ 0.005 mm at 1 m.
    expect(det.inBounds(m, local[0], local[1], 0.01)).toBe(true);
    det.toLocal(m, truth.tx[i], truth.ty[i], truth.tz[i], local);
    worstTrueW = Math.max(worstTrueW, Math.abs(local[2]));
    expect(det.inBounds(m, local[0], local[1], 0.01)).toBe(true);
  }
  expect(worstW).toBeLessThan(0.02);
  expect(worstTrueW).toBeLessThan(0.02);
}

function checkBookkeeping(ev: SimulatedEvent, noiseFraction: number): void {
  const { hits, truth, particles, cells } = ev;
  const n = hits.hitId.length;
  // Hit ids 1..N in volume/layer/module order, like the real files.
  for (let i = 0; i < n; i++) {
    expect(hits.hitId[i]).toBe(i + 1);
    expect(truth.hitId[i]).toBe(i + 1);
    if (i > 0) {
      const prev = (hits.volumeId[i - 1] * 256 + hits.layerId[i - 1]) * 65536 + hits.moduleId[i - 1];
      const cur = (hits.volumeId[i] * 256 + hits.layerId[i]) * 65536 + hits.moduleId[i];
      expect(cur).toBeGreaterThanOrEqual(prev);
    }
  }
  // particles.nhits equals the truth count of every particle; truth ids all exist in particles.
  const count = new Map<bigint, number>();
  let noise = 0;
  for (const id of truth.particleId) {
    if (id === 0n) noise++;
    else count.set(id, (count.get(id) ?? 0) + 1);
  }
  const known = new Set(particles.particleId);
  for (const id of count.keys()) expect(known.has(id)).toBe(true);
  for (let p = 0; p < particles.particleId.length; p++) {
    expect(particles.nhits[p]).toBe(count.get(particles.particleId[p]) ?? 0);
  }
  expect(known.size).toBe(particles.particleId.length); // ids unique
  expect(noise / n).toBeCloseTo(noiseFraction, 2);
  // Every hit has ≥ 1 cell; cells point at existing hits.
  const cellsPerHit = new Uint32Array(n + 1);
  for (const h of cells.hitId) cellsPerHit[h]++;
  for (let h = 1; h <= n; h++) expect(cellsPerHit[h]).toBeGreaterThan(0);
  expect(truth.weight.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
  // Ids: TrackML bit fields, secondaries point at a primary of the same vertex, most ids above 2^53.
  let big = 0;
  for (const id of particles.particleId) {
    const d = decodeParticleId(id);
    expect(d.vertexId).toBeGreaterThanOrEqual(1);
    expect(d.primaryId).toBeGreaterThanOrEqual(1);
    if (d.generation === 0) expect(d.secondaryId + d.process).toBe(0);
    else expect(d.secondaryId).toBeGreaterThanOrEqual(1);
    if (id > 2n ** 53n) big++;
  }
  expect(big / particles.particleId.length).toBeGreaterThan(0.5);
}

describe('a small event (MU = 10)', () => {
  const config = simulateConfig({ pileup: 10 });

  it('on the real detector: hits on their modules, consistent tables', () => {
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

describe('a full event (MU = 200) on the real detector', () => {
  it('has realistic figures (loose bounds around the real-event targets)', () => {
    const ev = simulateEvent(realDetector(), simulateConfig(), 2026, 0);
    const s = eventStatistics(ev);
    // Targets from real MU = 200 events; one event fluctuates (Poisson pile-up, broad multiplicities).
    expect(s.nHits).toBeGreaterThan(70_000);
    expect(s.nHits).toBeLessThan(140_000);
    expect(s.nParticles).toBeGreaterThan(6_500);
    expect(s.nParticles).toBeLessThan(12_000);
    expect(s.noiseFraction).toBeCloseTo(0.18, 2);
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
    const target: Record<number, number> = { 7: 0.14, 8: 0.235, 9: 0.135, 12: 0.065, 13: 0.215, 14: 0.065, 16: 0.025, 17: 0.092, 18: 0.024 };
    for (const [v, share] of Object.entries(target)) {
      expect(s.volumeShare[Number(v)]).toBeGreaterThan(share * 0.75);
      expect(s.volumeShare[Number(v)]).toBeLessThan(share * 1.25);
    }
  });
});
