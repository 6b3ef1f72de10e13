import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { transferables } from '../../src/core/transfer.ts';

describe('transferables', () => {
  it('hands over whole-covered buffers and keeps shared, partial and Node Buffer ones', () => {
    const whole = new Float32Array([1, 2, 3]);
    const big = new Uint8Array(64);
    const slice = big.subarray(8, 16); // part of a buffer the sender keeps
    const sameBufferWhole = new Uint8Array(big.buffer); // whole, but the buffer also backs a partial view
    const nodeBuf = Buffer.from('abc');
    const shared = new Int32Array(new SharedArrayBuffer(16));
    const job = { a: { b: { whole } }, list: [slice, sameBufferWhole], nodeBuf, shared, n: 3, s: 'x' };
    expect(transferables(job)).toEqual([whole.buffer]);
  });

  it('the receiver gets the values and the sender loses only the transferred arrays', () => {
    const job = { hits: new Float64Array([1.5, -2]), ids: new Uint32Array([7, 8, 9]), keep: new Uint8Array(8).subarray(2, 4) };
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(job, transferables(job));
    const got = receiveMessageOnPort(port2)!.message as typeof job;
    expect([...got.hits]).toEqual([1.5, -2]);
    expect([...got.ids]).toEqual([7, 8, 9]);
    expect(job.hits.length).toBe(0); // detached: moved, not copied
    expect(job.keep.length).toBe(2);
    port1.close();
  });
});
