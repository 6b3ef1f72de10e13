// Public surface of the scorer: the official TrackML score of one event, and pairing of submission/truth files.
export { scoreEvent } from './score.ts';
export type { ScoreLabels, ScoreResult, TrackScores } from './score.ts';
export { pairSubmissions, type EventPair } from './pair-events.ts';
