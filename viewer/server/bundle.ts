// The page's code: viewer/app/main.ts bundled for the browser with esbuild when the server starts, held in memory
// (nothing built is written into the repository).
import path from 'node:path';
import { repoRoot } from '../../src/core/repo-root.ts';

export const viewerDir = path.join(repoRoot, 'viewer');

/** Bundles viewer/app/main.ts for the browser. The page imports no Node builtin (the scorer and the event layers
 * take src/trackml/hit-lookup.ts, not the file-reading barrel); if one crept in, esbuild could not resolve it for the
 * browser platform and the server would refuse to start, naming it. */
export async function bundleViewer(minify = true): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(viewerDir, 'app', 'main.ts')],
    bundle: true,
    // Stryker disable StringLiteral: equivalent — esbuild's defaults for these give the same page: an IIFE runs the
    // same in the page's <script type="module"> (main.ts exports nothing, awaits nothing at top level), platform
    // defaults to browser, the default target (esnext) emits byte-identical code for these ES2022 sources (checked),
    // and the log level only decides what esbuild prints on the server's stderr.
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    // Stryker restore StringLiteral
    minify,
    write: false,
  });
  return result.outputFiles[0].text;
}
