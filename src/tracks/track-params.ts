// Track parameters from a track's hits, for exports and displays: a circle fit in x–y (Kåsa's algebraic fit; with
// fewer than three hits the beam line's origin joins the fit) gives the radius, hence pT in the 2 T field, and the
// charge from the turning direction; a straight-line fit of z against the transverse arc length gives z0 and θ.
// Perigee parameters follow the ATLAS convention Phoenix reads: [d0, z0, φ, θ, q/p] in mm, rad and 1/MeV.

import { B_FIELD_T, ptGeVFromRadius, wrapPhi as wrap } from '../geometry/helix-math.ts';

export interface TrackParams {
  /** Transverse distance of closest approach to the beam line (mm, signed: > 0 when the beam line lies to the
   * right of the track's direction), z there (mm), direction there (rad), polar angle (rad). */
  d0: number;
  z0: number;
  phi: number;
  theta: number;
  /** Charge over momentum in 1/MeV (0 for a straight line). */
  qOverP: number;
  ptGeV: number;
  eta: number;
  charge: number;
  /** Point of closest approach to the beam line (mm). */
  perigee: [number, number, number];
}

/** Circle through points (Kåsa fit): centre and radius; undefined when the points are (nearly) on a line. */
export function fitCircle(xs: number[], ys: number[]): { cx: number; cy: number; r: number } | undefined {
  const n = xs.length;
  // Centred coordinates keep the normal equations well conditioned.
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) ((mx += xs[i] / n), (my += ys[i] / n));
  let suu = 0,
    svv = 0,
    suv = 0,
    suuu = 0,
    svvv = 0,
    suvv = 0,
    svuu = 0;
  for (let i = 0; i < n; i++) {
    const u = xs[i] - mx,
      v = ys[i] - my;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  const det = suu * svv - suv * suv;
  if (!(Math.abs(det) > 1e-9 * (suu + svv) ** 2)) return undefined;
  const bu = (suuu + suvv) / 2,
    bv = (svvv + svuu) / 2;
  const uc = (bu * svv - bv * suv) / det;
  const vc = (bv * suu - bu * suv) / det;
  const r = Math.sqrt(uc * uc + vc * vc + (suu + svv) / n);
  return { cx: uc + mx, cy: vc + my, r };
}

/** Parameters of a track from its hits (mm), in any order; at least two hits. */
export function trackParams(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, fieldT = B_FIELD_T): TrackParams {
  const n = x.length;
  if (n < 2) throw new Error('trackParams: a track needs two hits');
  // Hits in order of distance from the origin: the direction of flight.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => x[a] ** 2 + y[a] ** 2 + z[a] ** 2 - (x[b] ** 2 + y[b] ** 2 + z[b] ** 2),
  );
  const xs = order.map((i) => x[i]),
    ys = order.map((i) => y[i]),
    zs = order.map((i) => z[i]);
  const fitXs = n < 3 ? [0, ...xs] : xs;
  const fitYs = n < 3 ? [0, ...ys] : ys;
  const circle = fitCircle(fitXs, fitYs);
  let d0: number, phi: number, charge: number, ptGeV: number, px: number, py: number;
  const s: number[] = [];
  if (!circle || circle.r > 1e7) {
    // A straight line through the hits (no measurable curvature).
    const dx = xs[n - 1] - xs[0],
      dy = ys[n - 1] - ys[0];
    phi = Math.atan2(dy, dx);
    const ux = Math.cos(phi),
      uy = Math.sin(phi);
    const along = xs[0] * ux + ys[0] * uy;
    px = xs[0] - along * ux;
    py = ys[0] - along * uy;
    d0 = -(px * uy - py * ux) === 0 ? 0 : Math.sign(ux * py - uy * px) * Math.hypot(px, py);
    charge = 0;
    ptGeV = Infinity;
    for (let i = 0; i < n; i++) s.push((xs[i] - px) * ux + (ys[i] - py) * uy);
  } else {
    const { cx, cy, r } = circle;
    const dc = Math.hypot(cx, cy) || 1e-12;
    // Perigee: the circle's point nearest the origin.
    px = cx - (r * cx) / dc;
    py = cy - (r * cy) / dc;
    // Turning direction from the first to the last hit around the centre (counter-clockwise > 0).
    const a0 = Math.atan2(ys[0] - cy, xs[0] - cx);
    const a1 = Math.atan2(ys[n - 1] - cy, xs[n - 1] - cx);
    const turn = Math.sign(wrap(a1 - a0)) || 1;
    // With B along +z a positive charge turns clockwise seen from +z.
    charge = -turn;
    // Direction of flight at the perigee: the tangent, along the turning direction.
    const ap = Math.atan2(py - cy, px - cx);
    phi = wrap(ap + (turn * Math.PI) / 2);
    d0 = Math.sign(Math.cos(phi) * py - Math.sin(phi) * px) * Math.hypot(px, py);
    ptGeV = ptGeVFromRadius(r, fieldT);
    for (let i = 0; i < n; i++) s.push(r * Math.abs(wrap(Math.atan2(ys[i] - cy, xs[i] - cx) - ap)));
  }
  // z = z0 + s · cot θ by least squares (two hits: the line through them).
  let ms = 0,
    mz = 0;
  for (let i = 0; i < n; i++) ((ms += s[i] / n), (mz += zs[i] / n));
  let sss = 0,
    ssz = 0;
  for (let i = 0; i < n; i++) ((sss += (s[i] - ms) ** 2), (ssz += (s[i] - ms) * (zs[i] - mz)));
  const cotTheta = sss > 0 ? ssz / sss : 0;
  const z0 = mz - cotTheta * ms;
  const theta = Math.atan2(1, cotTheta);
  const pMeV = (ptGeV / Math.sin(theta)) * 1000;
  return {
    d0,
    z0,
    phi,
    theta,
    qOverP: Number.isFinite(pMeV) && charge !== 0 ? charge / pMeV : 0,
    ptGeV,
    eta: -Math.log(Math.tan(theta / 2)),
    charge,
    perigee: [px, py, z0],
  };
}
