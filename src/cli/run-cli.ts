// Shared wrapper for every CLI entry point: runs main, maps user errors to one line and a non-zero exit.
import { EXIT_USER_ERROR, InputError } from '../core/errors.ts';

export function runCli(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      if (err instanceof InputError) {
        // One line, always: some messages (e.g. from node:util parseArgs) span several.
        process.stderr.write(`error: ${err.message.replace(/\s*\n\s*/g, '; ')}\n`);
        process.exit(EXIT_USER_ERROR);
      }
      // Not the user's fault: keep the stack so the bug can be found.
      console.error(err);
      process.exit(1);
    });
}
