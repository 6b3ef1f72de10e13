// The page's code: viewer/app/main.ts bundled for the browser with esbuild when the server starts, held in memory
// (nothing built is written into the repository).
import path from 'node:path';
import { repoRoot } from '../../src/core/repo-root.ts';

export const viewerDir = path.join(repoRoot, 'viewer');

/** Bundles viewer/app/main.ts for the browser. The scorer (scoring/score.ts) imports the TrackML barrel, which
 * reads files; the page needs only its hit-id lookup, so the barrel resolves to src/trackml/hit-lookup.ts, and
 * any other Node builtin becomes an empty module. */
export async function bundleViewer(minify = true): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(viewerDir, 'app', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'no-node-builtins',
        setup(b) {
          b.onResolve({ filter: /trackml\/index\.ts$/ }, (a) =>
            a.importer.includes(`${path.sep}scoring${path.sep}`)
              ? { path: path.join(viewerDir, '..', 'src', 'trackml', 'hit-lookup.ts') }
              : undefined,
          );
          b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}
