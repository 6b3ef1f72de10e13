// nodePositionsMm (src/tracks/node-positions.ts): graph node features (r / R_SCALE, φ / π, z / Z_SCALE) back to
// x, y, z in mm, per node in order. Mutation testing found it checked only through whole track building.
import { describe, expect, it } from 'vitest';
import { NODE_FEATURES, NODE_PHI, NODE_R, NODE_Z, R_SCALE_MM, Z_SCALE_MM } from '../../src/graph/graph.ts';
import { nodePositionsMm } from '../../src/tracks/node-positions.ts';

describe('nodePositionsMm', () => {
  it('turns scaled (r, φ, z) into x, y, z in mm for every node, in order', () => {
    const nodes = [
      { rMm: 32, phi: Math.PI / 3, zMm: -150 },
      { rMm: 1000, phi: -2.5, zMm: 2900 },
    ];
    const f = new Float32Array(nodes.length * NODE_FEATURES);
    nodes.forEach((p, i) => {
      f[i * NODE_FEATURES + NODE_R] = p.rMm / R_SCALE_MM;
      f[i * NODE_FEATURES + NODE_PHI] = p.phi / Math.PI;
      f[i * NODE_FEATURES + NODE_Z] = p.zMm / Z_SCALE_MM;
    });
    const out = nodePositionsMm({ hitId: new Uint32Array([7, 9]), nodeFeatures: f });
    expect(out.length).toBe(6);
    nodes.forEach((p, i) => {
      // float32 features: a few µm of rounding
      expect(out[3 * i]).toBeCloseTo(p.rMm * Math.cos(p.phi), 2);
      expect(out[3 * i + 1]).toBeCloseTo(p.rMm * Math.sin(p.phi), 2);
      expect(out[3 * i + 2]).toBeCloseTo(p.zMm, 2);
    });
  });
});
