// The repository's root folder, found from this module's own location: the nearest folder above it that holds
// the project's package.json. Walking up (rather than a fixed number of `..`) keeps it right both from the sources
// (src/core/) and from the CLI build (.build/<hash>/), which sits at another depth.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'trackml-gnn') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no trackml-gnn package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
