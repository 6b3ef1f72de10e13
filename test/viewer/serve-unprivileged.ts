// Test helper (server-hardening.test.ts): starts the viewer server on DIR (argv[2]), then, when running as root, drops
// to the unprivileged user nobody — so a mode-000 file is unreadable to it, as for a normal user — and prints the port.
import { startViewerServer } from '../../viewer/server/server.ts';

const server = await startViewerServer({ inputDir: process.argv[2], port: 0 });
if (process.getuid?.() === 0 && process.setgid && process.setuid) {
  process.setgid(65534);
  process.setuid(65534);
}
process.stdout.write(`port ${server.port} uid ${process.getuid?.()}\n`);
