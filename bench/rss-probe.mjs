// Preloaded by the throughput benchmark (NODE_OPTIONS=--import=…) into every node process of a child command: at
// exit it writes that process's resource usage (peak RSS, CPU time) to $RSS_PROBE_DIR/<pid>.json.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.RSS_PROBE_DIR;
if (dir && isMainThread) {
  process.on('exit', () => {
    try {
      writeFileSync(`${dir}/${process.pid}.json`, JSON.stringify(process.resourceUsage()));
    } catch {
      /* the benchmark reports what it finds */
    }
  });
}
