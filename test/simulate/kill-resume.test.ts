// `npm run simulate` killed just before each of its renames in turn (TRACKML_FAULT_AT_RENAME): no event is ever
// half there (an event's hits file lands last, so hits present means all four files of the same run), and a
// rerun resumes to files byte-identical to an uninterrupted run's, with nothing left behind.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from '../../src/core/run-files.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateConfig } from '../../src/simulate/index.ts';
import { simulateEvents } from '../../src/simulate/stage.ts';
import { EVENT_FILE_KINDS, findEvents } from '../../src/trackml/index.ts';
import { expectSameOutputs, killAtEveryRename, listFiles, runCli } from '../fault.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-sim-kill-');
const dir = (name: string) => path.join(root, name);
// One event: its five commits and the provenance are every rename point there is (more events repeat them).
const run = { events: 1, seed: 4, firstEvent: 1, gzip: false, simulate: simulateConfig({ pileup: 1 }), progress: false };

beforeAll(() => {
  simulateEvents({ ...run, output: dir('reference') });
}, 120_000);

describe('simulate killed at every rename', () => {
  it('never shows half an event, and a rerun gives the uninterrupted files', async () => {
    const ref = dir('reference');
    const points = await killAtEveryRename(
      (n) =>
        runCli(
          'simulate',
          ['--output', dir(`kill-${n}`), '--events', '1', '--seed', '4', '--pileup', '1', '--first-event', '1', '--format', 'csv'],
          n,
        ),
      async (n) => {
        const out = dir(`kill-${n}`);
        for (const e of findEvents(out).filter((ev) => ev.hits !== undefined)) {
          for (const kind of EVENT_FILE_KINDS) {
            const name = `${e.eventId}-${kind}.csv`;
            expect(e[kind], `kill at ${n}: ${e.eventId} has hits but no ${kind}`).toBe(path.join(out, name));
            expect(readFileSync(path.join(out, name)).equals(readFileSync(path.join(ref, name))), `kill at ${n}: ${name}`).toBe(true);
          }
        }
        simulateEvents({ ...run, output: out });
        expectSameOutputs(out, ref, (name) => name.startsWith('provenance-'));
        expect(listFiles(out).filter((f) => f.includes('.tmp-') || f === LOCK_FILE)).toEqual([]);
      },
    );
    // Cells, particles, truth, hits, record; then provenance.
    expect(points).toBe(6);
  }, 600_000);
});
