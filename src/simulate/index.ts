// Public surface of the simulator: one entry (simulateEvent), its config, the official truth weights and the
// realism statistics shared by tests and benchmarks.
export { simulateEvent, round6, type SimulatedEvent } from './simulate-event.ts';
export { simulateConfig, simulateConfigSchema, type SimulateConfig } from './config.ts';
export { computeTruthWeights, orderWeight, ptWeight, isSecondary, ORDER_WEIGHTS } from './weights.ts';
export { eventStatistics, type EventStats } from './stats.ts';
export { eventRng, Rng } from './rng.ts';
export { Helix } from './helix.ts';
export { highlandTheta0, SILICON_X0_MM } from './material.ts';
