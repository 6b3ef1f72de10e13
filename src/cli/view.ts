// `npm run view -- --input DIR [--event N] [--port P] [--detectors FILE]`: serves the three.js event viewer for
// the events in DIR on 127.0.0.1 and prints its URL; Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { InputError } from '../core/errors.ts';
import { formatEventId } from '../trackml/index.ts';
import { startViewerServer } from '../../viewer/server/server.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'usage: view --input DIR [--event N] [--port P] [--detectors detectors.csv[.gz]]';

runCli(async () => {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string' },
        event: { type: 'string' },
        port: { type: 'string' },
        detectors: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new InputError(undefined, undefined, `${(err as Error).message}; ${USAGE}`);
  }
  if (!values.input) throw new InputError(undefined, undefined, `--input is required; ${USAGE}`);
  let eventId: string | undefined;
  if (values.event !== undefined) {
    const n = Number(values.event);
    if (!/^\d+$/.test(values.event) || n > 999_999_999) throw new InputError(undefined, undefined, `--event must be an event number, got "${values.event}"`);
    eventId = formatEventId(n);
  }
  let port = 8080;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new InputError(undefined, undefined, `--port must be 0..65535, got "${values.port}"`);
  }
  const server = await startViewerServer({ inputDir: values.input, eventId, port, detectorsFile: values.detectors });
  process.stdout.write(`viewer: ${server.events.length} event(s) from ${values.input}\n${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
