import { describe, expect, it } from 'vitest';
import { timelineChart, timelineRows } from '../../src/pipeline/timeline.ts';

describe('timeline', () => {
  it('rows are ms since the origin per event, stage and thread; the chart draws one line per thread', () => {
    const origin = 1_000_000;
    const rows = timelineRows(
      [
        {
          eventId: 'event000000001',
          spans: [
            { stage: 'read', thread: 1, startMs: origin + 100, endMs: origin + 300 },
            { stage: 'gnn', thread: 0, startMs: origin + 300, endMs: origin + 500.04 },
          ],
        },
        { eventId: 'event000000002', spans: [{ stage: 'tracks', thread: 0, startMs: origin + 500, endMs: origin + 700 }] },
      ],
      origin,
    );
    expect(rows).toEqual([
      ['event000000001', 'read', 1, 100, 300],
      ['event000000001', 'gnn', 0, 300, 500],
      ['event000000002', 'tracks', 0, 500, 700],
    ]);
    expect(timelineChart(rows, 100)).toEqual(['thread  0 ...NNTT', 'thread  1 .RR....']);
  });
});
