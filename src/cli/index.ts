// Entry of every command: `node src/cli/launch.mjs <command> [flags]` runs this (built, or from source with tsx),
// which loads the schema in commands/<command>.ts, parses the flags and only then lets the command import its
// implementation. The npm scripts in package.json name the command.
import { EXIT_USER_ERROR } from '../core/errors.ts';
import { runCommand, type CommandSpec } from './command.ts';

const [name, ...argv] = process.argv.slice(2);
let spec: CommandSpec | undefined;
if (name !== undefined && /^[a-z][a-z0-9-]*$/.test(name)) {
  try {
    // A template with a fixed folder and suffix: the bundler includes every commands/*.ts as its own lazy chunk.
    spec = ((await import(`./commands/${name}.ts`)) as { default: CommandSpec }).default;
  } catch (err) {
    // Not found (from source: ERR_MODULE_NOT_FOUND; built: "Module not found in bundle") names the file.
    if (!String((err as Error).message).includes(`commands/${name}.ts`)) throw err;
  }
}
if (spec === undefined) {
  process.stderr.write(`error: unknown command "${name ?? ''}"; the commands are the npm scripts in package.json\n`);
  process.exit(EXIT_USER_ERROR);
}
await runCommand(spec, argv);
