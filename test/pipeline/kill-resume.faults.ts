// Heavier kill/resume case (`npm run test:faults`, not in `npm test`): the pipeline with its defaults — the shipped
// GNN on module-map graphs, tracks with every step — saving graphs and edge scores (five files per event), on three
// MU = 20 events, SIGKILLed just before each of its renames in turn; after every kill the files under final names are
// the uninterrupted run's, and a rerun (the CLI again) gives the uninterrupted outputs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from '../../src/core/run-files.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateConfig } from '../../src/simulate/index.ts';
import { simulateEvents } from '../../src/simulate/stage.ts';
import { expectSameOutputs, killAtEveryRename, listFiles, runCli, withoutTimings } from '../fault.ts';
import { tempDir } from '../real-data.ts';

const root = tempDir('trackml-kill-heavy-');
const dir = (name: string) => path.join(root, name);
const config = dir('pipeline.yaml');
const notTimed = (name: string) => name.startsWith('report.') || name.startsWith('provenance-');
const pipeline = (out: string, faultAt?: number) =>
  runCli('pipeline', ['--input', dir('events'), '--output', out, '--config', config], faultAt);

beforeAll(() => {
  simulateEvents({
    output: dir('events'),
    events: 3,
    seed: 77,
    firstEvent: 1,
    gzip: true,
    simulate: simulateConfig({ pileup: 20 }),
    progress: false,
  });
  writeFileSync(config, 'saveGraphs: true\n');
  expect(pipeline(dir('reference')).status).toBe(0);
});

describe('pipeline with its defaults, saving graphs, killed at every rename', () => {
  it('resumes to the uninterrupted outputs from every kill point', async () => {
    const ref = dir('reference');
    const points = await killAtEveryRename(
      (n) => pipeline(dir(`kill-${n}`), n),
      (n) => {
        const out = dir(`kill-${n}`);
        for (const name of listFiles(out).filter((f) => !f.includes('.tmp-') && f !== LOCK_FILE && !notTimed(f))) {
          const [a, b] = [readFileSync(path.join(out, name)), readFileSync(path.join(ref, name))];
          if (name.endsWith('.json')) expect(withoutTimings(JSON.parse(a.toString()))).toEqual(withoutTimings(JSON.parse(b.toString())));
          else expect(a.equals(b), `kill at ${n}: ${name}`).toBe(true);
        }
        expect(pipeline(out).status).toBe(0);
        expectSameOutputs(out, ref, notTimed);
        expect(listFiles(out).filter((f) => f.includes('.tmp-') || f === LOCK_FILE)).toEqual([]);
      },
    );
    expect(points).toBe(3 * 5 + 3);
  });
});
