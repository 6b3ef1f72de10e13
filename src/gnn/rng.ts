// Seeded random numbers for weight init and step order, so a training run is reproducible from its seed.
export { mulberry32 as makeRng, shuffle } from '../core/random.ts';
