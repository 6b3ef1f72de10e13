import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { loadConfig } from '../../src/core/config.ts';
import { trainConfigSchema } from '../../src/gnn/config.ts';
import { mainConfigSchema } from '../../src/pipeline/main-config.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'trackml-config-'));
function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('loadConfig', () => {
  it('fills defaults and keeps overrides, including nested simulator keys', () => {
    const cfg = loadConfig(mainConfigSchema, configFile('ok.yaml', 'events: 2\nsimulate:\n  pileup: 10\n'));
    expect(cfg.events).toBe(2);
    expect(cfg.seed).toBe(1);
    expect(cfg.simulate.pileup).toBe(10);
    expect(cfg.simulate.fieldT).toBe(2);
  });

  it('rejects an unknown key with its file, line and the allowed keys', () => {
    const file = configFile('unknown.yaml', 'events: 2\nsimulate:\n  pileup: 10\n  pilup: 3\n');
    const err = errorOf(() => loadConfig(mainConfigSchema, file));
    expect(err.file).toBe(file);
    expect(err.row).toBe(4);
    expect(err.message).toContain('simulate.pilup: unknown key');
    expect(err.message).toContain('pileup');
  });

  it('rejects a bad value with the key path and line', () => {
    const file = configFile('bad.yaml', 'output: x\nevents: -3\n');
    const err = errorOf(() => loadConfig(mainConfigSchema, file));
    expect(err.row).toBe(2);
    expect(err.message).toMatch(/events: .*>=?\s*1|events: Too small/);
  });

  it('says what a value of the wrong type is, and that a required key is missing', () => {
    const wrong = (text: string) => errorOf(() => loadConfig(mainConfigSchema, configFile('type.yaml', text)));
    expect(wrong('events: "x"\n').message).toBe(`${dir}/type.yaml:1: events: expected number, got "x"`);
    expect(wrong('simulate:\n  pileup: [1, 2]\n').message).toBe(`${dir}/type.yaml:2: simulate.pileup: expected number, got a list [1,2]`);
    expect(wrong('simulate: {pileup: {a: 1}}\n').message).toBe(
      `${dir}/type.yaml:1: simulate.pileup: expected number, got a mapping {"a":1}`,
    );
    const missing = errorOf(() => loadConfig(trainConfigSchema, configFile('train.yaml', 'epochs: 2\n')));
    expect(missing.message).toMatch(/train\.yaml: trainDir: missing \(required: string\)$/);
  });

  it('rejects malformed YAML and a missing file', () => {
    const file = configFile('broken.yaml', 'events: [1, 2\n');
    expect(errorOf(() => loadConfig(mainConfigSchema, file)).message).toContain('invalid YAML');
    expect(errorOf(() => loadConfig(mainConfigSchema, path.join(dir, 'nope.yaml'))).message).toContain('not found');
  });

  it('uses all defaults without a file', () => {
    const cfg = loadConfig(mainConfigSchema);
    expect(cfg.output).toBe('runs/default');
    expect(cfg.simulate.pileup).toBe(200);
  });
});

describe('graph config against the model', () => {
  it('names the settings where a run builds other graphs than the model was trained on', async () => {
    const { pipelineConfigSchema } = await import('../../src/pipeline/pipeline-config.ts');
    const { graphMismatch } = await import('../../src/pipeline/run-pipeline.ts');
    const shipped = pipelineConfigSchema.parse({}).graph;
    // The default pipeline builds the graphs the shipped model's model.json records it was trained on.
    const { readFileSync } = await import('node:fs');
    const modelJson = path.resolve(import.meta.dirname, '..', '..', 'trackml-data', 'model', 'model.json');
    const trained = JSON.parse(readFileSync(modelJson, 'utf8')).meta.data.train.graphStage.config;
    expect(trained.builder).toBe('moduleMap');
    expect(graphMismatch(shipped, trained)).toBeUndefined();
    expect(shipped.moduleMap).toMatchObject(trained.moduleMap);
    const geometric = pipelineConfigSchema.parse({ graph: { detector: 'full' } }).graph;
    expect(graphMismatch(geometric, { builder: 'moduleMap', detector: 'pixel' })).toBe(
      'builder: moduleMap → geometric, detector: pixel → full',
    );
    // A model without a record of its graphs: nothing to compare.
    expect(graphMismatch(geometric, undefined)).toBeUndefined();
  });
});
