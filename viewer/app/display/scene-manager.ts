/// <reference lib="dom" />
// The three.js scene, renderer, cameras and orbit controls (Phoenix's three-manager role): what is drawn where and
// when a frame is rendered. Layers add their objects to `scene`; the facade calls requestRender after changes.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import type { Camera, Projection } from '../state.ts';

const BG = 0x0b0d12;

export class SceneManager {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly perspective = new THREE.PerspectiveCamera(45, 1, 10, 50_000);
  readonly ortho = new THREE.OrthographicCamera(-1, 1, 1, -1, -50_000, 50_000);
  controls: OrbitControls;
  projection: Projection = '3d';
  private renderQueued = false;
  /** Called when the user moves the camera (orbit, pan, zoom). */
  onCameraMoved: () => void = () => undefined;
  /** Called before every frame (overlays that follow the camera). */
  private readonly beforeRender: (() => void)[] = [];

  constructor(readonly canvas: HTMLCanvasElement) {
    // Colours are written as sRGB bytes and shown as written, so the legends' CSS colours match the picture.
    THREE.ColorManagement.enabled = false;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.renderer.setClearColor(BG);
    this.renderer.setPixelRatio(1);
    this.controls = this.makeControls(this.perspective, true);
  }

  get camera(): THREE.PerspectiveCamera | THREE.OrthographicCamera {
    return this.projection === '3d' ? this.perspective : this.ortho;
  }

  addBeforeRender(fn: () => void): void {
    this.beforeRender.push(fn);
  }

  private makeControls(camera: THREE.Camera, rotate: boolean): OrbitControls {
    const c = new OrbitControls(camera, this.canvas);
    c.enableRotate = rotate;
    c.addEventListener('change', () => {
      this.onCameraMoved();
      this.requestRender();
    });
    return c;
  }

  resize(): void {
    const w = this.canvas.clientWidth || 800;
    const h = this.canvas.clientHeight || 600;
    this.renderer.setSize(w, h, false);
    this.perspective.aspect = w / h;
    this.perspective.updateProjectionMatrix();
    this.fitOrtho();
    this.requestRender();
  }

  private fitOrtho(): void {
    const w = this.canvas.clientWidth || 800;
    const h = this.canvas.clientHeight || 600;
    // x–y: the barrel (r ≤ 1.1 m); r–z: the full length (|z| ≤ 3 m) by ±1.1 m in r.
    const halfH = this.projection === 'rz' ? Math.max(1100, (3100 * h) / w) : 1100;
    const halfW = (halfH * w) / h;
    Object.assign(this.ortho, { left: -halfW, right: halfW, top: halfH, bottom: -halfH });
    this.ortho.updateProjectionMatrix();
  }

  /** Switches camera and controls: 3D orbits; the projections pan and zoom only. */
  setProjection(p: Projection, camera?: Camera): void {
    this.projection = p;
    this.controls.dispose();
    this.controls = this.makeControls(this.camera, p === '3d');
    if (p === '3d') {
      this.perspective.position.set(...(camera?.position ?? [5200, 3400, 6800]));
      this.controls.target.set(...(camera?.target ?? [0, 0, 0]));
    } else {
      this.fitOrtho();
      const t = camera?.target ?? [0, 0, 0];
      this.ortho.position.set(t[0], t[1], 10_000);
      this.ortho.up.set(0, 1, 0);
      this.ortho.zoom = camera?.zoom ?? 1;
      this.ortho.updateProjectionMatrix();
      this.controls.target.set(t[0], t[1], 0);
    }
    this.controls.update();
    this.requestRender();
  }

  cameraState(): Camera {
    const c = this.camera;
    const t = this.controls.target;
    return { position: [c.position.x, c.position.y, c.position.z], target: [t.x, t.y, t.z], zoom: c.zoom };
  }

  /** World length (mm) of one CSS pixel at the controls' target. */
  worldPerPixel(): number {
    const h = this.canvas.getBoundingClientRect().height || 600;
    if (this.projection === '3d') {
      const dist = this.perspective.position.distanceTo(this.controls.target);
      return (2 * dist * Math.tan((this.perspective.fov * Math.PI) / 360)) / h;
    }
    return (this.ortho.top - this.ortho.bottom) / this.ortho.zoom / h;
  }

  /** Draws `objects` once with a tiny geometry of the real attribute formats, so that shader compilation (slow
   * with software WebGL) runs in the GPU process while the page waits for the event's data. */
  warmUp(objects: (THREE.Points | THREE.LineSegments)[]): void {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(new Float32Array([0, 0, 0, 1, 1, 1]), 3));
    g.setAttribute('color', new THREE.BufferAttribute(new Uint8Array(6), 3, true));
    const keep = objects.map((o) => [o.geometry, o.visible] as const);
    for (const o of objects) ((o.geometry = g), (o.visible = true));
    this.renderer.render(this.scene, this.perspective);
    objects.forEach((o, i) => ([o.geometry, o.visible] = keep[i]));
    g.dispose();
  }

  requestRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  renderNow(): void {
    for (const fn of this.beforeRender) fn();
    this.renderer.render(this.scene, this.camera);
  }

  /** Waits for the GPU (SwiftShader) to finish the frame: a 1-pixel read blocks until it is drawn. */
  syncPixels(): void {
    const gl = this.renderer.getContext();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** Median time of `n` full frames, ms (render + wait for the pixels). */
  measureFrames(n: number): number {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      this.renderNow();
      this.syncPixels();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(n / 2)];
  }

  /** Pixels of the current frame that differ from the background (a blank canvas has none). */
  litPixels(): number {
    this.renderNow();
    const gl = this.renderer.getContext();
    const w = gl.drawingBufferWidth,
      hgt = gl.drawingBufferHeight;
    const px = new Uint8Array(w * hgt * 4);
    gl.readPixels(0, 0, w, hgt, gl.RGBA, gl.UNSIGNED_BYTE, px);
    // The corner pixel is background in every view (the detector is centred); compare against it.
    const br = px[0],
      bgG = px[1],
      bb = px[2];
    let lit = 0;
    for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - br) + Math.abs(px[i + 1] - bgG) + Math.abs(px[i + 2] - bb) > 24) lit++;
    return lit;
  }

  /** Client (CSS pixel) coordinates of a world point. */
  toScreen(v: THREE.Vector3): { x: number; y: number; visible: boolean } {
    v.project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height, visible: v.z > -1 && v.z < 1 };
  }
}
