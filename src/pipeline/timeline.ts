// The run's timeline: per computed event, when each stage started and ended and on which thread (main = 0, a
// worker's threadId otherwise), as rows the provenance keeps (`results.timeline`) and a short text chart the
// benchmark prints. Where the time of a run goes: fill and drain of the two-thread overlap, waits, warm-up.
import type { StageSpan } from './finish-event.ts';

export interface EventTimeline {
  eventId: string;
  spans: StageSpan[];
}

/** One row per span: [event, stage, thread, start ms, end ms], times since the process started (0.1 ms). */
export type TimelineRow = [string, string, number, number, number];

export function timelineRows(events: EventTimeline[], originMs = performance.timeOrigin): TimelineRow[] {
  const ms = (t: number) => Math.round((t - originMs) * 10) / 10;
  return events.flatMap((e) => e.spans.map((s): TimelineRow => [e.eventId, s.stage, s.thread, ms(s.startMs), ms(s.endMs)]));
}

/** Text lines, one per thread, of which event's stage ran when ('R'ead, 'G'raph, 'N' GNN, 'T'racks, 'W'rite,
 * 'S'core/truth, 'C'ommit; '.' idle), `msPerChar` per character, from 0 (process start) to the last span's end. */
export function timelineChart(rows: TimelineRow[], msPerChar = 100): string[] {
  const letter: Record<string, string> = { read: 'R', graph: 'G', gnn: 'N', tracks: 'T', write: 'W', score: 'S', truth: 'S', commit: 'C' };
  const end = Math.max(0, ...rows.map((r) => r[4]));
  const threads = [...new Set(rows.map((r) => r[2]))].sort((a, b) => a - b);
  return threads.map((th) => {
    const line = new Array<string>(Math.ceil(end / msPerChar)).fill('.');
    for (const [, stage, t, a, b] of rows)
      if (t === th)
        for (let c = Math.floor(a / msPerChar); c < Math.max(Math.floor(a / msPerChar) + 1, Math.round(b / msPerChar)); c++)
          line[c] = letter[stage] ?? '?';
    return `thread ${String(th).padStart(2)} ${line.join('')}`;
  });
}
