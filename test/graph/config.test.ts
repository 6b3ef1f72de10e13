// The graph stage's config: shipped pipeline files parse, presets resolve, overrides win, unknown keys fail.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { graphConfig, graphConfigSchema, resolveCuts } from '../../src/graph/config.ts';
import { repoRoot } from '../real-data.ts';

describe('graph config', () => {
  it('parses every pipelines/graphs-*.yaml', () => {
    const files = readdirSync(path.join(repoRoot, 'pipelines')).filter((f) => /^graphs-.*\.yaml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(() => loadConfig(graphConfigSchema, path.join(repoRoot, 'pipelines', f)), f).not.toThrow();
  });

  it('fills cuts from the preset and lets the file override single cuts', () => {
    expect(resolveCuts(graphConfig({ preset: 'pt1' }))).toMatchObject({ phiSlopeMaxRadPerMm: 0.001, z0MaxMm: 200, dEtaMax: Infinity });
    expect(resolveCuts(graphConfig({ preset: 'pt0.5' }))).toMatchObject({ phiSlopeMaxRadPerMm: 0.0006, z0MaxMm: 150 });
    expect(resolveCuts(graphConfig({ preset: 'pt0.5', cuts: { z0MaxMm: 300 } }))).toMatchObject({
      phiSlopeMaxRadPerMm: 0.0006,
      z0MaxMm: 300,
    });
  });

  it('rejects unknown keys and bad values', () => {
    expect(() => graphConfig({ detector: 'strips' } as never)).toThrow();
    expect(() => graphConfig({ cuts: { z0: 1 } } as never)).toThrow();
    expect(() => graphConfig({ phiBins: 0 })).toThrow();
  });
});
