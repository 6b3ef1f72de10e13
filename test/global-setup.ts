// Once before all test files: build the CLIs (the tests run commands as their npm scripts do, through the build),
// and say whether the real TrackML files are there — absent, their tests are skipped with one line saying so,
// except under CI (CI=1), where absence fails the run.
import { ensureBuild } from '../src/cli/build.mjs';
import { hasRealData, realDataDir } from './real-data-dir.ts';

export default async function setup(): Promise<(() => void) | void> {
  await ensureBuild();
  if (hasRealData) return;
  const where = `no real TrackML data at ${realDataDir()} (set TRACKML_DATA to the folder with detectors.csv.gz and sample-event/)`;
  if (process.env.CI) throw new Error(`CI=${process.env.CI}: ${where}; CI runs every real-data test`);
  return () => process.stdout.write(`\nreal-data tests skipped: ${where}\n`);
}
