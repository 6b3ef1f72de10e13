// Geometry speed: procedural detector build, real detectors.csv load, DetectorIndex build (min of 10), and
// candidates() / toLocal+inBounds per call on every hit of the real sample event (margins 0, 1, 5, 20 mm).
import path from 'node:path';
import { DetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { readHits } from '../src/trackml/index.ts';
import { sharedDataDir, timeIt, writeResult } from './lib.ts';

const REPEATS = 10;
const CALL_REPEATS = 200;

const detectorsFile = path.join(sharedDataDir, 'detectors.csv.gz');
const procedural = await timeIt(() => loadDetector(), REPEATS);
const real = await timeIt(() => loadDetector(detectorsFile), REPEATS);
const det = loadDetector();
const firstIndexStart = performance.now();
let index = new DetectorIndex(det);
const firstIndexMs = performance.now() - firstIndexStart;
const indexBuild = await timeIt(() => (index = new DetectorIndex(det)), REPEATS);

const hits = readHits(path.join(sharedDataDir, 'sample-event', 'event000000001-hits.csv.gz'));
const layerOfHit = Int32Array.from(hits.volumeId, (v, h) => index.layerIndexOf(v, hits.layerId[h]));
const out = new Int32Array(256);
const candidates: Record<string, { nsPerCall: number; meanCandidates: number }> = {};
for (const marginMm of [0, 1, 5, 20]) {
  let found = 0;
  const t0 = performance.now();
  for (let r = 0; r < CALL_REPEATS; r++) {
    for (let h = 0; h < hits.x.length; h++) found += index.candidates(layerOfHit[h], hits.x[h], hits.y[h], hits.z[h], out, marginMm);
  }
  const calls = CALL_REPEATS * hits.x.length;
  candidates[`margin${marginMm}mm`] = { nsPerCall: ((performance.now() - t0) * 1e6) / calls, meanCandidates: found / calls };
}
const moduleOfHit = Int32Array.from(hits.volumeId, (v, h) => index.moduleIndexOf(v, hits.layerId[h], hits.moduleId[h]));
const local = new Float64Array(3);
let inside = 0;
const t1 = performance.now();
for (let r = 0; r < CALL_REPEATS; r++) {
  for (let h = 0; h < hits.x.length; h++) {
    index.toLocal(moduleOfHit[h], hits.x[h], hits.y[h], hits.z[h], local);
    if (index.inBounds(moduleOfHit[h], local[0], local[1], 0.01)) inside++;
  }
}
const toLocalInBoundsNs = ((performance.now() - t1) * 1e6) / (CALL_REPEATS * hits.x.length);
if (inside !== CALL_REPEATS * hits.x.length) throw new Error('a real hit fell outside its module');

const result = {
  modules: det.volumeId.length,
  proceduralBuildMs: procedural,
  realFileLoadMs: real,
  indexBuildMs: { first: firstIndexMs, ...indexBuild },
  candidates,
  toLocalInBoundsNsPerCall: toLocalInBoundsNs,
};
console.log(JSON.stringify(result, null, 2));
console.log(`wrote ${writeResult('geometry', result)}`);
