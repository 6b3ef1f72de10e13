// Realism figures that need truth (the real 5 % sample, simulated events): noise and cluster sizes by volume, the
// share of hits and score weight of displaced particles, hit residuals (measured vs true position, and the next true
// hit against the 2 T helix of the previous one) and the field the particles saw between hits.
import type { DetectorIndex } from '../geometry/index.ts';
import type { TrackmlEvent } from '../trackml/types.ts';
import { DISPLACED_MIN_R_MM, type Figure, type Figures } from './realism.ts';

const isSecondary = (id: bigint): boolean => ((id >> 24n) & 0xfffn) !== 0n;
const BARREL_VOLUMES = new Set([8, 13, 17]);

function share(k: number, n: number): Figure {
  const p = n > 0 ? k / n : 0;
  const s = n > 0 ? 2 * Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) : 0;
  return { value: p, lo: p - s, hi: p + s };
}

function quantile(values: number[], q: number): Figure {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return { value: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const at = (rank: number) => s[Math.min(n - 1, Math.max(0, Math.floor(rank)))];
  const d = 2 * Math.sqrt(n * q * (1 - q));
  return { value: at(q * n), lo: at(q * n - d), hi: at(q * n + d) };
}

/** A weight share with the spread of its particles: the share ± 2σ of a sum over `n` particles' weights. */
function weightShare(w: number, total: number, n: number): Figure {
  const p = total > 0 ? w / total : 0;
  const s = n > 0 ? (2 * p) / Math.sqrt(n) : p;
  return { value: p, lo: p - s, hi: p + s };
}

/** Position on the helix from (x1, y1) with transverse momentum (px, py), charge q, radius R (mm) after transverse
 * path s: x(s) = x1 − (R/q)[sin(φ0 − q s/R) − sin φ0], y likewise (clockwise for q > 0 in +z field). */
function helixAt(x1: number, y1: number, px: number, py: number, q: number, R: number, s: number, out: number[]): void {
  const phi0 = Math.atan2(py, px);
  out[0] = x1 - (R / q) * (Math.sin(phi0 - (q * s) / R) - Math.sin(phi0));
  out[1] = y1 + (R / q) * (Math.cos(phi0 - (q * s) / R) - Math.cos(phi0));
}

/** |z| bins (mm) of the field figure. */
const FIELD_Z_BINS = [0, 500, 1000, 1500, 2000, 2500, 3100];

/**
 * Figures of an event with truth and particles (cells optional). `det` maps hits to modules for the local residuals.
 * Keys: noise.share.V, cells.mean.V, cells.single.V, weight.displaced, weight.displacedBeyond30mm, hits.displaced,
 * hits.secondaries, resid.local.V.p90 (µm across the measuring direction), resid.helix.V.p50|p90 (mm),
 * scatter.chordBend.V.p50|p90 (mrad·GeV),
 * field.effectiveBz.|z|lo-hi (T).
 */
export function truthFigures(event: TrackmlEvent, det: DetectorIndex): Figures {
  const { hits, truth, particles, cells } = event;
  if (truth === undefined || particles === undefined) throw new Error('truthFigures needs truth and particles');
  const n = hits.hitId.length;
  const out: Figures = {};
  // Rows are matched by hit id (truth rows may be in another order).
  const rowOfHit = new Map<number, number>();
  for (let i = 0; i < n; i++) rowOfHit.set(hits.hitId[i], i);
  const truthRow = new Int32Array(n).fill(-1);
  for (let t = 0; t < truth.hitId.length; t++) {
    const h = rowOfHit.get(truth.hitId[t]);
    if (h !== undefined) truthRow[h] = t;
  }
  const pRow = new Map<bigint, number>();
  for (let i = 0; i < particles.particleId.length; i++) pRow.set(particles.particleId[i], i);

  // Noise and clusters by volume.
  const volHits = new Map<number, number>();
  const volNoise = new Map<number, number>();
  for (let h = 0; h < n; h++) {
    const v = hits.volumeId[h];
    volHits.set(v, (volHits.get(v) ?? 0) + 1);
    if (truthRow[h] >= 0 && truth.particleId[truthRow[h]] === 0n) volNoise.set(v, (volNoise.get(v) ?? 0) + 1);
  }
  for (const [v, k] of [...volHits].sort((a, b) => a[0] - b[0])) out[`noise.share.${v}`] = share(volNoise.get(v) ?? 0, k);
  if (cells !== undefined) {
    const perHit = new Uint16Array(n);
    for (let c = 0; c < cells.hitId.length; c++) {
      const h = rowOfHit.get(cells.hitId[c]);
      if (h !== undefined && perHit[h] < 65535) perHit[h]++;
    }
    const byVol = new Map<number, number[]>();
    for (let h = 0; h < n; h++) {
      let l = byVol.get(hits.volumeId[h]);
      if (l === undefined) byVol.set(hits.volumeId[h], (l = []));
      l.push(perHit[h]);
    }
    for (const [v, l] of [...byVol].sort((a, b) => a[0] - b[0])) {
      const m = l.reduce((a, b) => a + b, 0) / l.length;
      const sd = Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / l.length);
      out[`cells.mean.${v}`] = { value: m, lo: m - (2 * sd) / Math.sqrt(l.length), hi: m + (2 * sd) / Math.sqrt(l.length) };
      out[`cells.single.${v}`] = share(l.filter((c) => c === 1).length, l.length);
    }
  }

  // Hits and score weight of displaced generation-0 particles and of secondaries.
  let wTotal = 0;
  let wDisp = 0;
  let wFar = 0;
  let hDisp = 0;
  let hSec = 0;
  let hSignal = 0;
  const dispParticles = new Set<bigint>();
  const farParticles = new Set<bigint>();
  for (let t = 0; t < truth.hitId.length; t++) {
    const id = truth.particleId[t];
    const w = truth.weight?.[t] ?? 0;
    wTotal += w;
    if (id === 0n) continue;
    hSignal++;
    const p = pRow.get(id);
    if (p === undefined) continue;
    if (isSecondary(id)) {
      hSec++;
      continue;
    }
    const r = Math.hypot(particles.vx[p], particles.vy[p]);
    if (r >= DISPLACED_MIN_R_MM) {
      wDisp += w;
      hDisp++;
      dispParticles.add(id);
      if (r >= 30) {
        wFar += w;
        farParticles.add(id);
      }
    }
  }
  out['weight.displaced'] = weightShare(wDisp, wTotal, dispParticles.size);
  out['weight.displacedBeyond30mm'] = weightShare(wFar, wTotal, farParticles.size);
  out['hits.displaced'] = share(hDisp, hSignal);
  out['hits.secondaries'] = share(hSec, hSignal);

  residualFigures(event, det, truthRow, out);
  stepFigures(event, truthRow, out);
  return out;
}

/** |measured − true| across the measuring direction (local u), 90th percentile in µm, by volume. */
function residualFigures(event: TrackmlEvent, det: DetectorIndex, truthRow: Int32Array, out: Figures): void {
  const { hits, truth } = event;
  const a = new Float64Array(3);
  const b = new Float64Array(3);
  const byVol = new Map<number, number[]>();
  for (let h = 0; h < hits.hitId.length; h++) {
    const t = truthRow[h];
    if (t < 0 || truth!.particleId[t] === 0n) continue;
    const m = det.moduleIndexOf(hits.volumeId[h], hits.layerId[h], hits.moduleId[h]);
    if (m < 0) continue;
    det.toLocal(m, hits.x[h], hits.y[h], hits.z[h], a);
    det.toLocal(m, truth!.tx[t], truth!.ty[t], truth!.tz[t], b);
    let l = byVol.get(hits.volumeId[h]);
    if (l === undefined) byVol.set(hits.volumeId[h], (l = []));
    l.push(Math.abs(a[0] - b[0]) * 1000);
  }
  for (const [v, l] of [...byVol].sort((x, y) => x[0] - y[0])) out[`resid.local.${v}.p90`] = quantile(l, 0.9);
}

/**
 * Between consecutive true hits of a particle (ordered by distance from the origin, on different layers, pT > 0.5 GeV
 * at the first): how far across (r·Δφ, mm) the second lies from the 2 T helix of the first's true position and
 * momentum, by the second's volume; and the effective Bz that turned the momentum between them, by |z|.
 */
function stepFigures(event: TrackmlEvent, truthRow: Int32Array, out: Figures): void {
  const { hits, truth, particles } = event;
  const T = truth!;
  const P = particles!;
  const charge = new Map<bigint, number>();
  for (let i = 0; i < P.particleId.length; i++) charge.set(P.particleId[i], P.q[i]);
  const rowsOf = new Map<bigint, number[]>();
  for (let h = 0; h < hits.hitId.length; h++) {
    const t = truthRow[h];
    if (t < 0 || T.particleId[t] === 0n) continue;
    let l = rowsOf.get(T.particleId[t]);
    if (l === undefined) rowsOf.set(T.particleId[t], (l = []));
    l.push(h);
  }
  const across = new Map<number, number[]>();
  const bends = new Map<number, number[]>();
  const bz = FIELD_Z_BINS.slice(1).map((): number[] => []);
  const o = [0, 0];
  for (const [id, rows] of rowsOf) {
    const q = charge.get(id);
    if (!q) continue;
    const dist = (h: number) => Math.hypot(T.tx[truthRow[h]], T.ty[truthRow[h]], T.tz[truthRow[h]]);
    rows.sort((x, y) => dist(x) - dist(y));
    chordBends(event, truthRow, rows, bends);
    for (let k = 1; k < rows.length; k++) {
      const ha = rows[k - 1];
      const hb = rows[k];
      if (hits.volumeId[ha] === hits.volumeId[hb] && hits.layerId[ha] === hits.layerId[hb]) continue;
      const a = truthRow[ha];
      const b = truthRow[hb];
      const pt = Math.hypot(T.tpx[a], T.tpy[a]);
      // Effective field: momentum turned over the chord between the two hits (pT 0.3–3 GeV, chord ≥ 20 mm).
      const chord = Math.hypot(T.tx[b] - T.tx[a], T.ty[b] - T.ty[a]);
      if (pt > 0.3 && pt < 3 && chord >= 20) {
        let dphi = Math.atan2(T.tpy[b], T.tpx[b]) - Math.atan2(T.tpy[a], T.tpx[a]);
        dphi -= 2 * Math.PI * Math.round(dphi / (2 * Math.PI));
        const radiusM = chord / (2 * Math.sin(Math.abs(dphi) / 2)) / 1000;
        const zMid = Math.abs(0.5 * (T.tz[a] + T.tz[b]));
        const bin = FIELD_Z_BINS.findIndex((lo, i) => i + 1 < FIELD_Z_BINS.length && zMid >= lo && zMid < FIELD_Z_BINS[i + 1]);
        const ptb = Math.hypot(T.tpx[b], T.tpy[b]);
        if (bin >= 0 && dphi !== 0) bz[bin].push((-Math.sign(dphi) * q * 0.5 * (pt + ptb)) / (0.3 * radiusM));
      }
      if (pt < 0.5) continue;
      const R = (pt / 0.6) * 1000;
      const v = hits.volumeId[hb];
      let s: number;
      if (!BARREL_VOLUMES.has(v)) {
        s = ((T.tz[b] - T.tz[a]) * pt) / T.tpz[a];
        if (!(s > 0)) continue;
      } else {
        // Bisection on the radius of the second hit.
        const r2 = Math.hypot(T.tx[b], T.ty[b]);
        let lo = 0;
        let hi = Math.min(Math.PI * R, 3 * chord + 10);
        helixAt(T.tx[a], T.ty[a], T.tpx[a], T.tpy[a], q, R, hi, o);
        if (Math.hypot(o[0], o[1]) < r2) continue;
        for (let it = 0; it < 50; it++) {
          const mid = 0.5 * (lo + hi);
          helixAt(T.tx[a], T.ty[a], T.tpx[a], T.tpy[a], q, R, mid, o);
          if (Math.hypot(o[0], o[1]) < r2) lo = mid;
          else hi = mid;
        }
        s = lo;
      }
      helixAt(T.tx[a], T.ty[a], T.tpx[a], T.tpy[a], q, R, s, o);
      let dphi = Math.atan2(o[1], o[0]) - Math.atan2(T.ty[b], T.tx[b]);
      dphi -= 2 * Math.PI * Math.round(dphi / (2 * Math.PI));
      let l = across.get(v);
      if (l === undefined) across.set(v, (l = []));
      l.push(Math.abs(dphi) * Math.hypot(T.tx[b], T.ty[b]));
    }
  }
  for (const [v, l] of [...across].sort((x, y) => x[0] - y[0])) {
    out[`resid.helix.${v}.p50`] = quantile(l, 0.5);
    out[`resid.helix.${v}.p90`] = quantile(l, 0.9);
  }
  for (const [v, l] of [...bends].sort((x, y) => x[0] - y[0])) {
    out[`scatter.chordBend.${v}.p50`] = quantile(l, 0.5);
    out[`scatter.chordBend.${v}.p90`] = quantile(l, 0.9);
  }
  bz.forEach((l, i) => {
    if (l.length >= 10) out[`field.effectiveBz.${FIELD_Z_BINS[i]}-${FIELD_Z_BINS[i + 1]}`] = quantile(l, 0.5);
  });
}

/**
 * The scattering a tracker sees, from hit positions alone: for three consecutive true hits on distinct layers of one
 * barrel volume (momentum ≥ 0.5 GeV at the middle one), the change of the dip angle of the chord (Δz against the 2 T
 * helix arc Δs = 2R·asin(c / 2R) of the transverse chord c) from the first pair to the second, times the momentum
 * (mrad·GeV). A helix in a uniform Bz has z linear in s, so this is the scattering wherever the material sits; the
 * next-hit-off-the-helix figure above also depends on where the truth momentum is recorded.
 * `rows` are one particle's hits ordered away from the origin; appends to `bends` by volume.
 */
function chordBends(event: TrackmlEvent, truthRow: Int32Array, rows: number[], bends: Map<number, number[]>): void {
  const { hits } = event;
  const T = event.truth!;
  const z = (h: number) => T.tz[truthRow[h]];
  // Transverse arc between two hits on a helix of radius R (mm).
  const arc = (h: number, k: number, R: number) => {
    const c = Math.hypot(T.tx[truthRow[k]] - T.tx[truthRow[h]], T.ty[truthRow[k]] - T.ty[truthRow[h]]);
    return 2 * R * Math.asin(Math.min(1, c / (2 * R)));
  };
  let a = -1;
  let b = -1;
  for (const c of rows) {
    if (b >= 0 && hits.volumeId[b] === hits.volumeId[c] && hits.layerId[b] === hits.layerId[c]) continue;
    const v = hits.volumeId[c];
    if (a >= 0 && BARREL_VOLUMES.has(v) && hits.volumeId[a] === v && hits.volumeId[b] === v) {
      const t = truthRow[b];
      const p = Math.hypot(T.tpx[t], T.tpy[t], T.tpz[t]);
      if (p >= 0.5) {
        const R = (Math.hypot(T.tpx[t], T.tpy[t]) / 0.6) * 1000;
        const bend = Math.atan2(z(c) - z(b), arc(b, c, R)) - Math.atan2(z(b) - z(a), arc(a, b, R));
        let l = bends.get(v);
        if (l === undefined) bends.set(v, (l = []));
        l.push(Math.abs(bend) * p * 1000);
      }
    }
    a = b;
    b = c;
  }
}
