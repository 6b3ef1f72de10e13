#!/usr/bin/env python3
"""The TrackML score of one submission, in plain Python 3 (standard library only), for timing against the project's
`npm run -s score`. NOT the official scorer (trackml-library needs pandas, which this machine lacks): a literal
reimplementation of the same definition (majority particle per track, ties to the smallest particle id; a track
counts when more than half of its hits are that particle's and more than half of the particle's hits are in it;
score = weight of the counted hits / total weight). Usage: trackml_score.py TRUTH.csv[.gz] SUBMISSION.csv[.gz]"""
import csv, gzip, sys
from collections import Counter, defaultdict


def rows(path):
    f = gzip.open(path, 'rt') if path.endswith('.gz') else open(path)
    with f:
        r = csv.reader(f)
        header = next(r)
        for row in r:
            yield dict(zip(header, row))


def score(truth_path, sub_path):
    particle, weight = {}, {}
    for t in rows(truth_path):
        h = int(t['hit_id'])
        particle[h] = int(t['particle_id'])
        weight[h] = float(t['weight'])
    track = {int(s['hit_id']): int(s['track_id']) for s in rows(sub_path)}
    particle_hits = Counter(particle.values())
    particle_weight = defaultdict(float)
    for h, p in particle.items():
        particle_weight[p] += weight[h]
    by_track = defaultdict(list)
    for h, t in track.items():
        by_track[t].append(h)
    total = 0.0
    for hits in by_track.values():
        counts = Counter(particle[h] for h in hits)
        # Majority particle, ties to the smallest particle id.
        maj, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if 2 * n <= len(hits) or 2 * n <= particle_hits[maj]:
            continue
        total += sum(weight[h] for h in hits if particle[h] == maj)
    return total / sum(weight.values())


if __name__ == '__main__':
    print(f'{score(sys.argv[1], sys.argv[2]):.6f}')
