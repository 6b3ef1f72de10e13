// The detector's modules as one InstancedMesh of wireframe boxes (off by default), placed for the current
// projection: oriented boxes in 3D, each module's axis-aligned z and r extent in r–z.
import * as THREE from 'three';
import type { DetectorData } from '../event-data.ts';
import type { Projection } from '../state.ts';

export class DetectorLayer {
  mesh: THREE.InstancedMesh | undefined;
  private data: DetectorData | undefined;

  /** Creates the mesh on first use (the module table is loaded then). */
  ensure(scene: THREE.Scene, data: DetectorData, p: Projection): void {
    if (this.mesh) return;
    this.data = data;
    const mat = new THREE.MeshBasicMaterial({ color: 0x556070, wireframe: true, transparent: true, opacity: 0.25 });
    this.mesh = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), mat, data.modules);
    this.mesh.frustumCulled = false;
    this.place(p);
    scene.add(this.mesh);
  }

  setVisible(on: boolean): void {
    if (this.mesh) this.mesh.visible = on;
  }

  place(p: Projection): void {
    const d = this.data;
    const mesh = this.mesh;
    if (!d || !mesh) return;
    const m = new THREE.Matrix4();
    for (let i = 0; i < d.modules; i++) {
      const R = d.rot.subarray(9 * i, 9 * i + 9);
      const su = 2 * d.halfU[i],
        sv = 2 * d.halfV[i],
        sw = Math.max(d.thickness[i], 0.5);
      if (p !== 'rz') {
        m.set(
          R[0] * su,
          R[1] * sv,
          R[2] * sw,
          d.cx[i],
          R[3] * su,
          R[4] * sv,
          R[5] * sw,
          d.cy[i],
          R[6] * su,
          R[7] * sv,
          R[8] * sw,
          d.cz[i],
          0,
          0,
          0,
          1,
        );
      } else {
        const rc = Math.hypot(d.cx[i], d.cy[i]) || 1;
        const ux = d.cx[i] / rc,
          uy = d.cy[i] / rc;
        const ez = Math.abs(R[6]) * su + Math.abs(R[7]) * sv + Math.abs(R[8]) * sw;
        const er = Math.abs(ux * R[0] + uy * R[3]) * su + Math.abs(ux * R[1] + uy * R[4]) * sv + Math.abs(ux * R[2] + uy * R[5]) * sw;
        m.set(ez, 0, 0, d.cz[i], 0, er, 0, d.cy[i] >= 0 ? rc : -rc, 0, 0, 1, 0, 0, 0, 0, 1);
      }
      mesh.setMatrixAt(i, m);
    }
    mesh.instanceMatrix.needsUpdate = true;
  }
}
