// The CLI build is never stale: on a copy of the tree, a command builds once, reuses the build while nothing
// changed, and rebuilds as soon as a source it compiled changes or a command file is added. The built pipeline
// runs its tracks worker thread from the build too.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../real-data.ts';

const copy = mkdtempSync(path.join(os.tmpdir(), 'cli-build-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const run = (command: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(copy, 'src', 'cli', 'launch.mjs'), command, ...args], { cwd: copy, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const current = () =>
  JSON.parse(readFileSync(path.join(copy, '.build', 'current.json'), 'utf8')) as { hash: string; files: Record<string, string> };

describe('CLI build freshness', () => {
  beforeAll(() => {
    for (const p of ['src', 'scoring', 'viewer', 'web', 'bench', 'package.json', 'tsconfig.json', 'trackml-data/layer-table.json']) {
      cpSync(path.join(repoRoot, p), path.join(copy, p), { recursive: true, filter: (f) => !f.includes(`${path.sep}results${path.sep}`) });
    }
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  });

  it('builds on first use, reuses the build, rebuilds when a compiled source changes', () => {
    expect(existsSync(path.join(copy, '.build'))).toBe(false);
    const first = run('score', '--help');
    expect(first.status).toBe(0);
    const built = current();
    expect(Object.keys(built.files)).toEqual(
      expect.arrayContaining(['src/cli/index.ts', 'src/cli/commands/score.ts', 'scoring/score.ts', 'src/cli/build.mjs', 'package.json']),
    );
    // The pipeline's tracks worker is built beside the code that starts it (main.test.ts runs it from the build).
    expect(existsSync(path.join(copy, '.build', built.hash, 'finish-worker.mjs'))).toBe(true);
    expect(run('score', '--help').stdout).toBe(first.stdout);
    expect(current().hash).toBe(built.hash);

    // An edit deep in the command layer (not the file the command names) shows at once.
    const layer = path.join(copy, 'src', 'cli', 'command.ts');
    writeFileSync(layer, readFileSync(layer, 'utf8').replace("'print this help and exit'", "'print this help, then stop'"));
    const edited = run('score', '--help');
    expect(edited.stdout).toContain('print this help, then stop');
    expect(current().hash).not.toBe(built.hash);
    expect(existsSync(path.join(copy, '.build', built.hash))).toBe(true); // kept for runs still using it

    // A new command is one schema file (plus its npm script): no other file changes.
    writeFileSync(
      path.join(copy, 'src', 'cli', 'commands', 'hello.ts'),
      "import { defineCommand } from '../command.ts';\nexport default defineCommand({ name: 'hello', summary: 'Says hello to the given name, once.', " +
        "flags: { name: { type: 'string', value: 'NAME', default: 'world', description: 'who to greet', example: 'you' } }, " +
        "examples: ['npm run hello'], run: (a) => void process.stdout.write(`hello ${a.name}\\n`) });\n",
    );
    expect(run('hello', '--name', 'there')).toEqual({ status: 0, stdout: 'hello there\n', stderr: '' });
  });

  it('TRACKML_FROM_SOURCE=1 runs the sources through tsx', () => {
    const r = spawnSync(process.execPath, [path.join(copy, 'src', 'cli', 'launch.mjs'), 'score', '--help'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, TRACKML_FROM_SOURCE: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run score -- --truth PATH --submission PATH\n/);
  });
});
