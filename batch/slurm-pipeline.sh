#!/bin/bash
# The pipeline over a folder of TrackML events as a Slurm job array: task I of N runs `--shard I/N` (the events
# whose id hashes to I), all tasks write into one shared output folder, and a dependent job merges the report.
#
#   sbatch --array=0-99 batch/slurm-pipeline.sh /data/trackml/train_1 /scratch/$USER/train_1-out
#   sbatch --dependency=afterok:<array job id> --wrap "cd $PWD && npm run merge -- --output /scratch/$USER/train_1-out"
#
# A task that fails (node lost, time limit) can simply be resubmitted (sbatch --array=17 …): events it had finished
# are up to date and skipped. Two CPUs per task: the pipeline overlaps tracks with the next event's GNN on a
# second thread. Needs Node ≥ 20 and `npm ci` done once in the clone.
#SBATCH --job-name=trackml-gnn
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=logs/trackml-%A_%a.log
set -euo pipefail
INPUT=${1:?usage: sbatch --array=0-(N-1) batch/slurm-pipeline.sh INPUT_DIR OUTPUT_DIR [CONFIG]}
OUTPUT=${2:?usage: sbatch --array=0-(N-1) batch/slurm-pipeline.sh INPUT_DIR OUTPUT_DIR [CONFIG]}
CONFIG=${3:-pipelines/pipeline-default.yaml}
cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/..}"
# SLURM_ARRAY_TASK_COUNT is the number of tasks; with --array=0-(N-1) the task ids are exactly 0..N-1.
exec npm run -s pipeline -- --input "$INPUT" --output "$OUTPUT" --config "$CONFIG" \
  --shard "${SLURM_ARRAY_TASK_ID:?not a job array task}/${SLURM_ARRAY_TASK_COUNT}"
