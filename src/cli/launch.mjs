// Runs one command: `node src/cli/launch.mjs <command> [flags]` (what every npm script calls). It runs the esbuild
// build of the CLIs, rebuilt first when any source changed (the rule is in build.mjs), so no run pays a TypeScript
// compile; with TRACKML_FROM_SOURCE=1, or when the build fails, it runs the TypeScript sources through tsx instead.
import { pathToFileURL } from 'node:url';

process.setSourceMapsEnabled(true);
let entry;
if (process.env.TRACKML_FROM_SOURCE !== '1') {
  try {
    const { ensureBuild } = await import('./build.mjs');
    entry = `${await ensureBuild(process.argv[2])}/index.mjs`;
  } catch (err) {
    process.stderr.write(
      `note: the CLIs could not be built (${String(err?.message ?? err).split('\n')[0]}); running from source with tsx\n`,
    );
  }
}
if (entry !== undefined) await import(pathToFileURL(entry).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./index.ts');
}
