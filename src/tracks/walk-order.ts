// The order in which a helix walk (src/tracks/helix-walk.ts) visits a step's layers: by the transverse arc length at
// which the walk's first helix reaches each, merged lazily from the barrel layers by radius and each side's disks by
// |z| (the arc length grows with both along a helix), only as far as the walk asks.
import { Helix, turnCos } from './helix-fit.ts';
import type { LayerView } from './hit-index.ts';

/** A walk's layers: the list (a step's LayerViews) and, for ordering them along a helix, its barrel layers by radius
 * and each side's disks by |z| (ties by list index). */
export interface WalkLayers {
  list: readonly LayerView[];
  barrels: Int32Array;
  plusDisks: Int32Array;
  minusDisks: Int32Array;
}

export function walkLayers(list: readonly LayerView[]): WalkLayers {
  const pick = (keep: (l: LayerView) => boolean, key: (l: LayerView) => number): Int32Array => {
    const ks: number[] = [];
    for (let k = 0; k < list.length; k++) if (keep(list[k])) ks.push(k);
    return Int32Array.from(ks.sort((p, q) => key(list[p]) - key(list[q]) || p - q));
  };
  return {
    list,
    barrels: pick(
      (l) => l.barrel,
      (l) => l.position,
    ),
    plusDisks: pick(
      (l) => !l.barrel && l.position > 0,
      (l) => l.position,
    ),
    minusDisks: pick(
      (l) => !l.barrel && !(l.position > 0),
      (l) => -l.position,
    ),
  };
}

/** The layers in the order the walk's first helix crosses them, by arc length (ties by list index): ord.idx[0..count)
 * with arc lengths ord.s, merged lazily from the radius-ordered barrels and |z|-ordered disks (the arc length grows
 * with both along a helix), only as far as the walk asks (inOrder). */
class Ordering {
  /** The order so far: list indices idx[0..count), arc lengths s. */
  idx = new Int32Array(64);
  s = new Float64Array(64);
  count = 0;
  layers: WalkLayers = { list: [], barrels: new Int32Array(0), plusDisks: new Int32Array(0), minusDisks: new Int32Array(0) };
  helix = new Helix();
  /** Disks on the helix's side of the origin (arcLengthTo: none on the other side). */
  disks: Int32Array = new Int32Array(0);
  /** Next barrel and disk not yet in the order (list positions in barrels / disks), with their arc lengths. */
  nextBarrel = 0;
  nextDisk = 0;
  barrelS = NaN;
  diskS = NaN;
}
export const ord = new Ordering();

/** Moves ord.nextBarrel from k to the first barrel layer the helix reaches, with its arc length in ord.barrelS. */
function advanceBarrel(k: number): void {
  const { barrels, list } = ord.layers;
  const h = ord.helix;
  for (; k < barrels.length; k++) {
    // arcLengthTo(h, barrel layer) = arcAt(h, position), written out (see Prediction).
    const d = list[barrels[k]].position;
    let sk: number;
    if (!h.general) sk = 2 * h.rc * Math.asin(Math.min(1, d / (2 * h.rc)));
    else {
      const cosA = turnCos(h, d);
      sk = cosA > 1 || cosA < -1 ? NaN : h.rc * Math.acos(cosA);
    }
    if (sk > 0 && Number.isFinite(sk)) {
      ord.barrelS = sk;
      break;
    }
  }
  ord.nextBarrel = k;
}

/** The same for the disks. */
function advanceDisk(k: number): void {
  const { disks } = ord;
  const { list } = ord.layers;
  const h = ord.helix;
  for (; k < disks.length; k++) {
    // arcLengthTo(h, disk on the helix's side), written out.
    const sk = (list[disks[k]].position - h.z0) / h.slope;
    if (sk > 0 && Number.isFinite(sk)) {
      ord.diskS = sk;
      break;
    }
  }
  ord.nextDisk = k;
}

export function startOrder(h: Helix, layers: WalkLayers): void {
  if (ord.idx.length < layers.list.length) {
    ord.idx = new Int32Array(layers.list.length);
    ord.s = new Float64Array(layers.list.length);
  }
  ord.layers = layers;
  ord.helix.copy(h);
  ord.count = 0;
  ord.disks = h.slope >= 0 ? layers.plusDisks : layers.minusDisks;
  advanceBarrel(0);
  advanceDisk(0);
}

/** Whether the order has an i-th layer (materialising it on demand). */
export function inOrder(i: number): boolean {
  const { barrels } = ord.layers;
  const { disks } = ord;
  while (ord.count <= i) {
    const haveB = ord.nextBarrel < barrels.length;
    const haveD = ord.nextDisk < disks.length;
    if (!haveB && !haveD) return false;
    const kb = haveB ? barrels[ord.nextBarrel] : -1;
    const kd = haveD ? disks[ord.nextDisk] : -1;
    if (haveB && (!haveD || ord.barrelS < ord.diskS || (ord.barrelS === ord.diskS && kb < kd))) {
      ord.idx[ord.count] = kb;
      ord.s[ord.count++] = ord.barrelS;
      advanceBarrel(ord.nextBarrel + 1);
    } else {
      ord.idx[ord.count] = kd;
      ord.s[ord.count++] = ord.diskS;
      advanceDisk(ord.nextDisk + 1);
    }
  }
  return true;
}
