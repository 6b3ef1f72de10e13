// Every command: one schema file in src/cli/commands/ and one npm script; `--help` documents every flag (meaning,
// default, example) and exits 0, an unknown flag is one line and exit 2 — through the launcher, as npm runs them —
// and --help loads no package at all (the implementation, tfjs included, is imported only after parsing).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/command.ts';
import { BACKEND_CHOICES, ENGINE_CHOICES, ENGINES } from '../../src/gnn/backend-names.ts';
import { BACKENDS } from '../../src/gnn/backend.ts';
import { EXPORT_FORMATS } from '../../src/interop/export.ts';
import { EXPORT_CHOICES } from '../../src/cli/commands/export.ts';
import { runCommand } from '../cli-run.ts';
import { repoRoot } from '../real-data.ts';

const commandsDir = path.join(repoRoot, 'src', 'cli', 'commands');
const files = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const LAUNCH = /^node src\/cli\/launch\.mjs ([a-z0-9-]+)$/;
const specs = new Map<string, CommandSpec>();
for (const f of files)
  specs.set(f, ((await import(pathToFileURL(path.join(commandsDir, `${f}.ts`)).href)) as { default: CommandSpec }).default);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-commands-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A module hook (in tmp) that appends every package URL a process resolves to `log`; `register` goes after
 * NODE_OPTIONS' --import. */
function packageLogger(name: string): { log: string; register: string } {
  const hook = path.join(tmp, `log-${name}.mjs`);
  const log = path.join(tmp, `${name}.log`);
  const register = `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hook).href)}, import.meta.url);`,
  )}`;
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); ` +
      `if (r.url.includes('/node_modules/')) appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`,
  );
  return { log, register };
}

describe('command schemas', () => {
  it('each schema file has the npm script of its name, and each launcher script has its schema file', () => {
    const launched = Object.entries(scripts).filter(([, cmd]) => LAUNCH.test(cmd));
    expect(launched.map(([, cmd]) => LAUNCH.exec(cmd)![1]).sort()).toEqual(files);
    for (const [script, cmd] of launched) expect(specs.get(LAUNCH.exec(cmd)![1])!.name).toBe(script);
    for (const script of ['start', 'pipeline', 'simulate', 'train', 'score', 'view', 'layer-table', 'bench', 'bench:summary', 'export']) {
      expect(scripts[script]).toMatch(LAUNCH);
    }
    for (const stage of ['simulate', 'graphs', 'infer', 'tracks', 'score']) expect(scripts[`stage:${stage}`]).toMatch(LAUNCH);
  });

  it('every flag has a meaning, a default or "required", and an example (booleans: off)', () => {
    for (const [file, spec] of specs) {
      expect(spec.summary.length, file).toBeGreaterThan(20);
      expect(spec.examples.length, file).toBeGreaterThan(0);
      for (const e of spec.examples)
        expect(e, file).toMatch(spec.name === 'start' ? /^npm start/ : new RegExp(`^npm run (-s )?${spec.name}\\b`));
      for (const [name, f] of Object.entries(spec.flags)) {
        expect(f.description.length, `${file} --${name}`).toBeGreaterThan(5);
        if (f.type === 'boolean') continue;
        expect(f.example, `${file} --${name}`).toBeDefined();
        expect(f.required === true || f.default !== undefined || f.defaultText !== undefined, `${file} --${name}`).toBe(true);
      }
    }
  });

  it('--backend offers auto and exactly the backends the GNN knows; export --to exactly the formats it writes', () => {
    expect(BACKEND_CHOICES).toEqual(['auto', ...BACKENDS]);
    expect(ENGINE_CHOICES).toEqual(['auto', ...ENGINES]);
    expect(EXPORT_CHOICES).toEqual(EXPORT_FORMATS);
  });
});

describe('commands through the launcher', () => {
  it.each(files)('%s --help prints usage, flags and examples and exits 0', (file) => {
    const r = runCommand(file, ['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const spec = specs.get(file)!;
    expect(r.stdout.split('\n')[0]).toMatch(/^usage: npm (start|run \S+)( --|$)/);
    for (const name of Object.keys(spec.flags)) expect(r.stdout).toContain(`--${name}`);
    expect(r.stdout).toContain(`examples:\n  ${spec.examples[0]}`);
  });

  it.each(files)('%s --no-such-flag is one line on stderr and exit 2', (file) => {
    const r = runCommand(file, ['--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown flag --no-such-flag \(npm (start|run \S+) -- --help lists the flags\)\n$/);
  });

  it('an unknown command is one line and exit 2', () => {
    const r = runCommand('no-such-command', []);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: unknown command "no-such-command"; the commands are the npm scripts in package.json\n');
  });

  it('--help imports no package (pipeline: no tfjs), from the build and from source', () => {
    const { log, register } = packageLogger('packages');
    for (const env of [{}, { TRACKML_FROM_SOURCE: '1' }]) {
      rmSync(log, { force: true });
      const r = runCommand('pipeline', ['--help'], { env: { ...process.env, ...env, NODE_OPTIONS: `--import ${register}` } });
      expect(r.status).toBe(0);
      const loaded = readFileOr(log).split('\n').filter(Boolean);
      // From source the launcher needs tsx itself; nothing else.
      expect(
        loaded.filter((u) => !/\/node_modules\/(tsx|esbuild|get-tsconfig|resolve-pkg-maps)\//.test(u)),
        JSON.stringify(env),
      ).toEqual([]);
    }
  });

  it('the score command loads no package, the pipeline neither tfjs nor vega before its first event', () => {
    const { log, register } = packageLogger('packages-2');
    const env = { env: { ...process.env, NODE_OPTIONS: `--import ${register}` } };
    const packages = () => [
      ...new Set(
        readFileOr(log)
          .split('\n')
          .filter(Boolean)
          .map((u) => /\/node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)![1]),
      ),
    ];
    // Two hits, two particles: score 1 (both hits of each particle in one track).
    const truth = path.join(tmp, 'event000000001-truth.csv');
    const sub = path.join(tmp, 'event000000001-submission.csv');
    writeFileSync(truth, 'hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight\n1,5,1,2,3,1,1,1,0.5\n2,5,1,2,3,1,1,1,0.5\n');
    writeFileSync(sub, 'hit_id,track_id\n1,7\n2,7\n');
    rmSync(log, { force: true });
    const s = runCommand('score', ['--truth', truth, '--submission', sub], env);
    expect(s.status, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout.trim().split('\n').pop()!).score).toBe(1);
    expect(packages()).toEqual([]);
    // A folder without events stops right after loading the command: what start-up loads, nothing of a first event.
    rmSync(log, { force: true });
    const empty = mkdtempSync(path.join(tmp, 'no-events-'));
    const p = runCommand('pipeline', ['--input', empty, '--output', path.join(tmp, 'no-events-out')], env);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('no events');
    const loaded = packages();
    expect(loaded).toContain('zod'); // the hook saw the pipeline's modules
    expect(loaded.filter((name) => /^(@tensorflow\/|vega)/.test(name))).toEqual([]);
  });
});

function readFileOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
