// The `--shard I/N` flag every command that runs over a folder of events shares (batch arrays: Slurm's
// $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT, Kubernetes' $JOB_COMPLETION_INDEX/N); parsed by src/core/shard.ts.
import type { StringFlag } from './command.ts';

export const SHARD_FLAG = {
  type: 'string',
  value: 'I/N',
  description:
    'run only shard I of N (0 ≤ I < N): the events whose id hashes to I, stable when events are added; the shards of ' +
    'one run may share --output and run at once (pipeline: `npm run merge -- --output DIR` writes the report once all are done)',
  defaultText: 'all events',
  example: '0/4',
} as const satisfies StringFlag;
