// Every config in pipelines/ (and pipelines/experiments/) is valid for the command it is written for, and every stage
// command has an example config. The configs load with the same strict schemas the commands use.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { trainConfigSchema } from '../../src/gnn/config.ts';
import { graphConfigSchema } from '../../src/graph/config.ts';
import { mainConfigSchema } from '../../src/pipeline/main-config.ts';
import { pipelineConfigSchema } from '../../src/pipeline/pipeline-config.ts';
import { scoreStageSchema, simulateStageSchema, tracksStageSchema } from '../../src/pipeline/stages.ts';
import { repoRoot } from '../real-data.ts';

/** Which schema a config file is for, by its name. */
function schemaFor(name: string): z.ZodType {
  if (name === 'default.yaml') return mainConfigSchema;
  if (name === 'pipeline-simulate-test.yaml') return simulateStageSchema;
  if (name.startsWith('pipeline-')) return pipelineConfigSchema;
  if (name.startsWith('graphs-')) return graphConfigSchema;
  if (name.startsWith('train-')) return trainConfigSchema;
  if (name === 'stage-tracks.yaml') return tracksStageSchema;
  if (name === 'stage-score.yaml') return scoreStageSchema;
  throw new Error(`no schema known for pipelines/${name}: add it here`);
}

const dirs = ['pipelines', 'pipelines/experiments'];
const files = dirs.flatMap((d) =>
  readdirSync(path.join(repoRoot, d))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(d, f)),
);

describe('example configs', () => {
  it.each(files)('%s loads with its schema', (file) => {
    expect(() => loadConfig(schemaFor(path.basename(file)), path.join(repoRoot, file))).not.toThrow();
  });

  it('exist for every stage command that takes a config', () => {
    const names = files.map((f) => path.basename(f));
    expect(names).toEqual(
      expect.arrayContaining([
        'pipeline-simulate-test.yaml',
        'graphs-pixel-pt1.yaml',
        'stage-tracks.yaml',
        'stage-score.yaml',
        'pipeline-default.yaml',
        'default.yaml',
      ]),
    );
  });
});
