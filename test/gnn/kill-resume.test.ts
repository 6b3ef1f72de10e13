// `npm run train` killed just before each of its renames in turn (TRACKML_FAULT_AT_RENAME), then `--resume`:
// the final checkpoints, best model and history equal an uninterrupted run's (checkpoints are directories swapped in
// whole, and `last` is each epoch's commit point). A checkpoint mixed from two saves is refused, not run.
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { graphToArrow } from '../../src/graph/arrow-io.ts';
import { runTrainStage } from '../../src/gnn/stage.ts';
import { expectSameOutputs, killAtEveryRename, runCli } from '../fault.ts';
import { tempDir } from '../real-data.ts';
import { toyGraph } from './helpers.ts';

const root = tempDir('trackml-train-kill-');
const dir = (name: string) => path.join(root, name);
const out = dir('run'); // every run trains into the same directory: it is recorded in the checkpoints' metadata
const config = dir('train.yaml');

beforeAll(async () => {
  for (const [d, seeds] of [
    ['train', [1, 2]],
    ['val', [3]],
  ] as const) {
    mkdirSync(dir(d), { recursive: true });
    for (const s of seeds) {
      const g = toyGraph(60, 240, s);
      g.eventId = `event00000000${s}`;
      const bytes = graphToArrow(g);
      writeFileSync(path.join(dir(d), `${g.eventId}-nodes.arrow`), bytes.nodes);
      writeFileSync(path.join(dir(d), `${g.eventId}-edges.arrow`), bytes.edges);
    }
  }
  const yaml = (epochs: number) =>
    `trainDir: ${dir('train')}\nvalDir: ${dir('val')}\noutputDir: ${out}\nbackend: wasm\nepochs: ${epochs}\nmaxEdgesPerStep: 120\n` +
    `learningRate: 0.02\nmodel: { hidden: 8, iterations: 1, mlpLayers: 2 }\n`;
  writeFileSync(config, yaml(2));
  writeFileSync(dir('one-epoch.yaml'), yaml(1));
  await runTrainStage({ configFile: config });
  renameSync(out, dir('reference'));
}, 120_000);

describe('train killed at every rename', () => {
  it("resumes to the uninterrupted run's checkpoints, best model and history", async () => {
    const points = await killAtEveryRename(
      (n) => {
        rmSync(out, { recursive: true, force: true });
        return runCli('train', ['--config', config], n);
      },
      async () => {
        await runTrainStage({ configFile: config, resume: true });
        expectSameOutputs(out, dir('reference'), (name) => name.startsWith('provenance-'));
      },
    );
    // Epoch 1: best, history, last (new directories: one rename each); epoch 2: best (swapped: two renames) when it
    // is the best, history, last (two); then the calibrated best (two) and provenance.
    const history = JSON.parse(readFileSync(path.join(dir('reference'), 'history.json'), 'utf8')) as { valLoss: number }[];
    expect(points).toBe(3 + (history[1].valLoss < history[0].valLoss ? 2 : 0) + 3 + 2 + 1);
  }, 600_000);

  it('refuses a checkpoint whose weights come from another save, naming the file', async () => {
    rmSync(out, { recursive: true, force: true });
    await runTrainStage({ configFile: dir('one-epoch.yaml') });
    copyFileSync(path.join(out, 'last', 'weights.bin'), dir('epoch1-weights.bin'));
    await runTrainStage({ configFile: config, resume: true });
    copyFileSync(dir('epoch1-weights.bin'), path.join(out, 'last', 'weights.bin'));
    const resumed = runTrainStage({ configFile: config, resume: true });
    await expect(resumed).rejects.toThrow(InputError);
    await expect(runTrainStage({ configFile: config, resume: true })).rejects.toThrow(
      /last\/weights\.bin: weights file does not match the SHA-256/,
    );
  }, 120_000);
});
