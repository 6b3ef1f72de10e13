// Cuts on what is drawn: volume, layer, |η| of the hit position, the pT of the hit's particle (needs truth), and
// the "graph nodes only" hit style. One pass writes each hit's pass flag and the drawn hits' index; edges and
// track segments are drawn only where both of their hits pass.
import type { ViewerEventData } from '../event-data.ts';
import type { ViewState } from '../state.ts';

export class CutsManager {
  /** 1 for hits that pass the cuts. */
  pass = new Uint8Array(0);
  /** 1 for hits that are not graph nodes (undefined without a graph). */
  outsideGraph: Uint8Array | undefined;

  build(d: ViewerEventData): void {
    const n = d.hits.hitId.length;
    this.pass = new Uint8Array(n);
    this.outsideGraph = undefined;
    if (d.graph) {
      this.outsideGraph = new Uint8Array(n).fill(1);
      for (let k = 0; k < d.graph.nodeHit.length; k++) this.outsideGraph[d.graph.nodeHit[k]] = 0;
    }
  }

  /** Whether any cut removes something (else edges and tracks need no per-item filtering). */
  active(s: ViewState): boolean {
    return s.ptMinGeV > 0 || s.absEtaMax < 5 || s.volume >= 0 || s.layer >= 0;
  }

  /** The pass flags for edges and tracks: undefined when no cut is active. */
  passFlags(s: ViewState): Uint8Array | undefined {
    return this.active(s) ? this.pass : undefined;
  }

  /** Recomputes pass flags; writes the rows of the drawn hits into `index` and returns how many. */
  apply(d: ViewerEventData, s: ViewState, index: Uint32Array): number {
    const { hits, truth } = d;
    const n = hits.hitId.length;
    const graphOnly = s.hitStyle === 'graph' ? this.outsideGraph : undefined;
    let drawn = 0;
    for (let i = 0; i < n; i++) {
      let ok = true;
      if (s.volume >= 0 && hits.volumeId[i] !== s.volume) ok = false;
      else if (s.layer >= 0 && hits.layerId[i] !== s.layer) ok = false;
      else if (s.ptMinGeV > 0 && truth && !(truth.ptGeV[i] >= s.ptMinGeV)) ok = false;
      else if (s.absEtaMax < 5) {
        const r = Math.hypot(hits.x[i], hits.y[i]);
        ok = Math.abs(Math.asinh(hits.z[i] / Math.max(r, 1e-6))) <= s.absEtaMax;
      }
      this.pass[i] = ok ? 1 : 0;
      if (ok && !(graphOnly && graphOnly[i])) index[drawn++] = i;
    }
    return drawn;
  }
}
