// Runs a command the way its npm script does: `node src/cli/launch.mjs <command> …` (the built CLIs; the global
// setup builds them once before the tests). Command names are the files in src/cli/commands/.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './real-data.ts';

export const launcher = path.join(repoRoot, 'src', 'cli', 'launch.mjs');

/** Arguments for `process.execPath` that run `command` with `args`. */
export const cliArgv = (command: string, ...args: string[]): string[] => [launcher, command, ...args];

/** Runs `command` with `args` in the repository root and waits for it. */
export function runCommand(
  command: string,
  args: string[],
  options: SpawnSyncOptions = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, cliArgv(command, ...args), { cwd: repoRoot, encoding: 'utf8', ...options });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
