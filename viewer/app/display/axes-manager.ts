/// <reference lib="dom" />
// Axes with a scale: the coordinate axes through the origin with a tick every 500 mm (one LineSegments), labelled
// every 1000 mm by small HTML labels that follow the camera, and a scale bar that says how long 100 px are at the
// view's centre. In x–y the axes are x and y; in r–z they are z (horizontal) and r (vertical, signed by y).
import * as THREE from 'three';
import type { Projection } from '../state.ts';
import type { SceneManager } from './scene-manager.ts';

const EXTENT_MM = { x: 1100, y: 1100, z: 3000 };
const TICK_MM = 500;
const LABEL_MM = 1000;

interface Label {
  el: HTMLElement;
  at: THREE.Vector3;
}

export class AxesManager {
  readonly lines: THREE.LineSegments;
  private labels: Label[] = [];
  private readonly v = new THREE.Vector3();

  constructor(
    private readonly sceneManager: SceneManager,
    private readonly overlay: HTMLElement | null,
    private readonly scaleBar: HTMLElement | null,
  ) {
    this.lines = new THREE.LineSegments(
      new THREE.BufferGeometry(),
      new THREE.LineBasicMaterial({ color: 0x8a94a8, transparent: true, opacity: 0.6 }),
    );
    this.lines.frustumCulled = false;
    sceneManager.addBeforeRender(() => this.follow());
  }

  /** Axis names and directions for a projection: [name, unit vector, extent]. */
  private axes(p: Projection): [string, [number, number, number], number][] {
    if (p === 'rz')
      return [
        ['z', [1, 0, 0], EXTENT_MM.z],
        ['r', [0, 1, 0], EXTENT_MM.x],
      ];
    if (p === 'xy')
      return [
        ['x', [1, 0, 0], EXTENT_MM.x],
        ['y', [0, 1, 0], EXTENT_MM.y],
      ];
    return [
      ['x', [1, 0, 0], EXTENT_MM.x],
      ['y', [0, 1, 0], EXTENT_MM.y],
      ['z', [0, 0, 1], EXTENT_MM.z],
    ];
  }

  build(p: Projection): void {
    const pos: number[] = [];
    for (const l of this.labels) l.el.remove();
    this.labels = [];
    for (const [name, u, ext] of this.axes(p)) {
      pos.push(-ext * u[0], -ext * u[1], -ext * u[2], ext * u[0], ext * u[1], ext * u[2]);
      // Ticks across the axis (in the view plane's other direction).
      const across: [number, number, number] = u[1] === 1 ? [1, 0, 0] : [0, 1, 0];
      for (let t = -ext; t <= ext + 1e-6; t += TICK_MM) {
        const len = t % LABEL_MM === 0 ? 40 : 20;
        const c = [t * u[0], t * u[1], t * u[2]];
        pos.push(
          c[0] - len * across[0],
          c[1] - len * across[1],
          c[2] - len * across[2],
          c[0] + len * across[0],
          c[1] + len * across[1],
          c[2] + len * across[2],
        );
        if (this.overlay && t % LABEL_MM === 0 && t !== 0) this.addLabel(`${t}`, c);
      }
      if (this.overlay) this.addLabel(`${name} [mm]`, [(ext + 150) * u[0], (ext + 150) * u[1], (ext + 150) * u[2]], true);
    }
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(pos), 3));
    this.lines.geometry.dispose();
    this.lines.geometry = g;
  }

  private addLabel(text: string, at: number[], axisName = false): void {
    const el = document.createElement('span');
    el.className = axisName ? 'axis-label axis-name' : 'axis-label';
    el.textContent = text;
    this.overlay!.appendChild(el);
    this.labels.push({ el, at: new THREE.Vector3(at[0], at[1], at[2]) });
  }

  setVisible(on: boolean): void {
    this.lines.visible = on;
    if (this.overlay) this.overlay.style.display = on ? '' : 'none';
    if (this.scaleBar) this.scaleBar.style.display = on ? '' : 'none';
  }

  /** Places the labels where their points are drawn and sizes the scale bar (before each frame). */
  private follow(): void {
    if (!this.lines.visible) return;
    const rect = this.sceneManager.canvas.getBoundingClientRect();
    for (const l of this.labels) {
      const s = this.sceneManager.toScreen(this.v.copy(l.at));
      l.el.style.display = s.visible ? '' : 'none';
      l.el.style.transform = `translate(${(s.x - rect.left).toFixed(0)}px, ${(s.y - rect.top).toFixed(0)}px)`;
    }
    if (this.scaleBar) {
      // A round length near 100 px at the target.
      const perPx = this.sceneManager.worldPerPixel();
      const raw = 100 * perPx;
      const pow = 10 ** Math.floor(Math.log10(raw));
      const nice = [1, 2, 5, 10].map((k) => k * pow).find((v) => v >= raw) ?? raw;
      this.scaleBar.style.width = `${(nice / perPx).toFixed(0)}px`;
      this.scaleBar.textContent = nice >= 1000 ? `${nice / 1000} m` : `${nice} mm`;
      this.scaleBar.dataset.mm = String(nice);
    }
  }
}
