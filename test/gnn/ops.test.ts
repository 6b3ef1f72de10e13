// Custom gradients (gather, segment sum via scatterND, dense) against finite differences, on cpu and on wasm
// (where the built-in gather gradient and UnsortedSegmentSum are missing, which is why these ops exist).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/gnn/backend.ts';
import { dense, gatherPairSum, gatherRows, matMulNoBias, normRelu, segmentSum, type EdgeIndex } from '../../src/gnn/ops.ts';
import { createModel, forward, graphTensors, modelVariables } from '../../src/gnn/model.ts';
import { weightedBce } from '../../src/gnn/train.ts';
import { toyGraph } from './helpers.ts';

/** Central finite difference of scalar f at every entry of x (float64 arithmetic on the JS side). */
async function numericGrad(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, eps: number): Promise<Float32Array> {
  const base = (await x.data()) as Float32Array;
  const out = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] += eps;
    minus[i] -= eps;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]);
    out[i] = (fp - fm) / (2 * eps);
  }
  return out;
}

async function expectClose(actual: tf.Tensor, expected: Float32Array, tol: number): Promise<void> {
  const a = (await actual.data()) as Float32Array;
  expect(a.length).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - expected[i])).toBeLessThan(tol * scale);
}

const idx = [2, 0, 2, 3, 2]; // duplicates: row 2 is gathered three times, its gradient must sum three terms
const edgeIndex = (i: number[]): EdgeIndex => ({
  index: tf.tensor1d(i, 'int32'),
  index2d: tf.tensor2d(i, [i.length, 1], 'int32'),
  js: Int32Array.from(i),
});

describe.each(['cpu', 'wasm'] as const)('custom gradients on %s', (backend) => {
  it('activates the backend', async () => {
    expect((await selectBackend(backend)).backend).toBe(backend);
  });

  // A fixed random projection makes the loss a generic linear functional of the op's output.
  const proj = (rows: number, cols: number, seed: number): tf.Tensor2D =>
    tf.tensor2d(
      Array.from({ length: rows * cols }, (_, k) => Math.sin(seed * 7.1 + k * 1.3)),
      [rows, cols],
    );

  it('gatherRows matches finite differences (duplicate indices accumulate)', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 12 }, (_, k) => Math.cos(k)),
      [4, 3],
    );
    const p = proj(idx.length, 3, 1);
    const ei = edgeIndex(idx); // made outside the differentiated function, as in the model (graphTensors)
    const f = (xs: tf.Tensor): tf.Scalar => tf.sum(tf.mul(gatherRows(xs as tf.Tensor2D, ei), p));
    const g = tf.grad(f)(x);
    await expectClose(g, await numericGrad(f, x, 1e-2), 2e-3);
    // Row 1 is never gathered: its gradient is exactly zero.
    expect(Array.from(((await g.data()) as Float32Array).slice(3, 6))).toEqual([0, 0, 0]);
  });

  it('segmentSum matches finite differences and sums rows by index', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 10 }, (_, k) => k + 1),
      [5, 2],
    );
    // Rows 0, 2, 4 go to segment 2: (1+5+9, 2+6+10); row 1 to segment 0; row 3 to 3; segment 1 is empty.
    expect(Array.from(await segmentSum(x, edgeIndex(idx), 4).data())).toEqual([3, 4, 0, 0, 15, 18, 7, 8]);
    const p = proj(4, 2, 2);
    const ei = edgeIndex(idx);
    const f = (xs: tf.Tensor): tf.Scalar => tf.sum(tf.mul(segmentSum(xs as tf.Tensor2D, ei, 4), p));
    await expectClose(tf.grad(f)(x), await numericGrad(f, x, 1e-2), 2e-3);
  });

  it('gatherPairSum = a[src] + b[dst], gradients match finite differences', async () => {
    const a = tf.tensor2d(
      Array.from({ length: 8 }, (_, k) => Math.cos(k)),
      [4, 2],
    );
    const b = tf.tensor2d(
      Array.from({ length: 6 }, (_, k) => Math.sin(k) + 2),
      [3, 2],
    );
    const src = [3, 0, 3];
    const dst = [1, 1, 2];
    const out = (await gatherPairSum(a, edgeIndex(src), b, edgeIndex(dst)).data()) as Float32Array;
    const av = (await a.data()) as Float32Array;
    const bv = (await b.data()) as Float32Array;
    for (let e = 0; e < 3; e++) for (let k = 0; k < 2; k++) expect(out[e * 2 + k]).toBeCloseTo(av[src[e] * 2 + k] + bv[dst[e] * 2 + k], 6);
    const p = proj(3, 2, 4);
    const [es, ed] = [edgeIndex(src), edgeIndex(dst)];
    const loss = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(gatherPairSum(x as tf.Tensor2D, es, y as tf.Tensor2D, ed), p));
    const [ga, gb] = tf.grads(loss)([a, b]);
    await expectClose(ga, await numericGrad((t) => loss(t, b), a, 1e-2), 2e-3);
    await expectClose(gb, await numericGrad((t) => loss(a, t), b, 1e-2), 2e-3);
  });

  it('matMulNoBias matches finite differences', async () => {
    const x = tf.tensor2d([0.5, -1, 2, 0.25, 1.5, -0.75], [3, 2]);
    const w = tf.tensor2d([1, -2, 0.5, 0.3], [2, 2]);
    const p = proj(3, 2, 5);
    const loss = (xs: tf.Tensor, ws: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.square(matMulNoBias(xs as tf.Tensor2D, ws as tf.Tensor2D)), p));
    const [gx, gw] = tf.grads(loss)([x, w]);
    await expectClose(gx, await numericGrad((t) => loss(t, w), x, 1e-2), 5e-3);
    await expectClose(gw, await numericGrad((t) => loss(x, t), w, 1e-2), 5e-3);
  });

  it('normRelu = relu(layer norm) per row, gradient matches finite differences', async () => {
    const x = tf.tensor2d([1, 2, 4, 5, -1, 0.5, 0.25, 2, 4, -3, 1, 1.5], [3, 4]);
    // Row 0: mean 3, variance (4+1+1+4)/4 = 2.5 → x̂ = (−2, −1, 1, 2)/√2.5 → relu keeps the last two.
    // (No x̂ is exactly 0: finite differences across the ReLU kink would be meaningless.)
    const row0 = Array.from(((await normRelu(x).data()) as Float32Array).slice(0, 4));
    [0, 0, 1 / Math.sqrt(2.5 + 1e-5), 2 / Math.sqrt(2.5 + 1e-5)].forEach((v, k) => expect(row0[k]).toBeCloseTo(v, 5));
    const p = proj(3, 4, 6);
    const f = (xs: tf.Tensor): tf.Scalar => tf.sum(tf.mul(normRelu(xs as tf.Tensor2D), p));
    await expectClose(tf.grad(f)(x), await numericGrad(f, x, 1e-3), 5e-3);
  });

  it('dense matches finite differences in x, W and b', async () => {
    const x = tf.tensor2d(
      Array.from({ length: 8 }, (_, k) => Math.sin(k)),
      [4, 2],
    );
    const w = tf.tensor2d(
      Array.from({ length: 6 }, (_, k) => Math.cos(k + 0.5)),
      [2, 3],
    );
    const b = tf.tensor1d([0.1, -0.2, 0.3]);
    const p = proj(4, 3, 3);
    // Squared output: a non-linear loss, so dx depends on W and dW on x.
    const loss = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(tf.square(dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D)), p));
    const [gx, gw, gb] = tf.grads(loss)([x, w, b]);
    await expectClose(gx, await numericGrad((t) => loss(t, w, b), x, 1e-2), 5e-3);
    await expectClose(gw, await numericGrad((t) => loss(x, t, b), w, 1e-2), 5e-3);
    await expectClose(gb, await numericGrad((t) => loss(x, w, t), b, 1e-2), 5e-3);
  });

  it('the whole network: loss gradient w.r.t. the classifier bias and an edge-encoder weight (upstream of every gather and scatter) match finite differences', async () => {
    const g = toyGraph(12, 30, 5);
    const gt = graphTensors(g, 7); // several edge chunks: the chunked path is the one differentiated
    const model = createModel({ hidden: 4, iterations: 2, mlpLayers: 2 }, 3);
    const y = tf.tensor1d(g.y!, 'float32');
    const vars = modelVariables(model);
    const { grads } = tf.variableGrads(() => weightedBce(forward(model, gt, true), y, 2), vars);
    // (The node encoder's first layer feeds a 4-wide layer norm of tiny inputs: too curved for float32 finite
    // differences; the test against tf's own autodiff below covers it.)
    for (const v of [vars[vars.length - 1], vars.find((x) => x.name.endsWith('edgeEncoder/1/w'))!]) {
      const original = v.clone();
      const f = (t: tf.Tensor): tf.Scalar => {
        v.assign(t);
        return weightedBce(forward(model, gt, true), y, 2);
      };
      const numeric = await numericGrad(f, original, 5e-4);
      v.assign(original);
      await expectClose(grads[v.name], numeric, 1e-3);
    }
  });
});

describe('the whole network against tf autodiff (cpu backend, which has gather and segment-sum gradients)', () => {
  it('gives the same logits and the same gradient for every variable as a plain-ops reference', async () => {
    await selectBackend('cpu');
    const g = toyGraph(12, 30, 5);
    const model = createModel({ hidden: 4, iterations: 2, mlpLayers: 2 }, 3);
    const gt = graphTensors(g, 7);
    const whole = graphTensors(g);
    const y = tf.tensor1d(g.y!, 'float32');
    const src = tf.tensor1d(Int32Array.from(g.src), 'int32');
    const dst = tf.tensor1d(Int32Array.from(g.dst), 'int32');
    const M = model.mlps;
    const normReluRef = (x: tf.Tensor2D): tf.Tensor2D => {
      const c = tf.sub(x, tf.mean(x, 1, true));
      return tf.relu(tf.mul(c, tf.rsqrt(tf.add(tf.mean(tf.square(c), 1, true), 1e-5)))) as tf.Tensor2D;
    };
    const mlpRef = (x: tf.Tensor2D, layers: typeof M.nodeEncoder, logit = false): tf.Tensor2D => {
      let o = x;
      layers.forEach((l, i) => {
        o = tf.add(tf.matMul(o, l.w), l.b) as tf.Tensor2D;
        if (!(logit && i === layers.length - 1)) o = normReluRef(o);
      });
      return o;
    };
    const reference = (): tf.Tensor1D => {
      let h = mlpRef(whole.x, M.nodeEncoder);
      let e = mlpRef(whole.chunks[0].features, M.edgeEncoder);
      for (let k = 0; k < 2; k++) {
        e = tf.add(e, mlpRef(tf.concat([tf.gather(h, src), tf.gather(h, dst), e], 1), M.edgeUpdate)) as tf.Tensor2D;
        const inc = tf.unsortedSegmentSum(e, dst, 12);
        const out = tf.unsortedSegmentSum(e, src, 12);
        h = tf.add(h, mlpRef(tf.concat([h, inc, out], 1), M.nodeUpdate)) as tf.Tensor2D;
      }
      return mlpRef(tf.concat([tf.gather(h, src), tf.gather(h, dst), e], 1), M.classifier, true).reshape([-1]);
    };
    const ours = (await forward(model, gt, true).data()) as Float32Array;
    const ref = (await reference().data()) as Float32Array;
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    const vars = modelVariables(model);
    const a = tf.variableGrads(() => weightedBce(forward(model, gt, true), y, 2), vars).grads;
    const b = tf.variableGrads(() => weightedBce(reference(), y, 2), vars).grads;
    for (const v of vars) await expectClose(a[v.name], (await b[v.name].data()) as Float32Array, 1e-5);
  });
});
