// `npm run view -- --input DIR [--event N] [--port P] [--detectors FILE]` (flags: commands/view.ts): serves the
// three.js event viewer for the events in DIR on 127.0.0.1 and prints its URL; Ctrl-C stops it.
import { formatEventId } from '../trackml/index.ts';
import { startViewerServer } from '../../viewer/server/server.ts';

export async function viewCommand(flags: { input: string; event?: number; port: number; detectors?: string }): Promise<void> {
  const eventId = flags.event === undefined ? undefined : formatEventId(flags.event);
  const server = await startViewerServer({ inputDir: flags.input, eventId, port: flags.port, detectorsFile: flags.detectors });
  process.stdout.write(`viewer: ${server.events.length} event(s) from ${flags.input}\n${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
