// Deterministic random numbers for the simulator: xoshiro128** seeded through splitmix32, one independent
// stream per (seed, event index) so events can be generated in any order or in parallel with identical output.

/** Small, fast, well-tested 32-bit generator (Blackman & Vigna); state is four uint32 words. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second normal deviate of the last Box–Muller pair, NaN when none is cached. */
  private spareGauss = Number.NaN;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    // An all-zero state would stay zero forever.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** Next uint32. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1]: safe to take the log of. */
  uniformOpen(): number {
    return 1 - this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal deviate (Box–Muller, caching the second value). */
  gauss(): number {
    if (!Number.isNaN(this.spareGauss)) {
      const g = this.spareGauss;
      this.spareGauss = Number.NaN;
      return g;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen()));
    const a = 2 * Math.PI * this.uniform();
    this.spareGauss = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** Exponential deviate with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.uniformOpen());
  }

  /** Gamma(shape k, scale 1) deviate (Marsaglia–Tsang; boosted for k < 1). */
  gamma(k: number): number {
    if (k < 1) return this.gamma(k + 1) * Math.pow(this.uniformOpen(), 1 / k);
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.gauss();
      const v0 = 1 + c * x;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = this.uniformOpen();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Poisson deviate: multiplication method for small means, normal approximation above 500. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    if (mean > 30) {
      // Split into halves to keep exp(-mean) far from underflow while staying exact.
      return this.poisson(mean / 2) + this.poisson(mean / 2);
    }
    const limit = Math.exp(-mean);
    let n = 0;
    let p = this.uniformOpen();
    while (p > limit) {
      n++;
      p *= this.uniformOpen();
    }
    return n;
  }

  /** Negative binomial with the given mean and shape k (a gamma-mixed Poisson): broad multiplicities. */
  negativeBinomial(mean: number, k: number): number {
    return this.poisson((mean * this.gamma(k)) / k);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** splitmix32 step: a good mixer to expand a few seed words into a full generator state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The generator for event `eventIndex` of a run with `seed`: independent of every other event's stream. */
export function eventRng(seed: number, eventIndex: number): Rng {
  const st = { s: (Math.imul(seed >>> 0, 0x632be5ab) ^ Math.floor(seed / 4294967296)) >>> 0 };
  // Mix the event index in after the seed so (seed, k) and (seed', k') pairs rarely collide.
  const a = splitmix32(st);
  st.s = (a ^ Math.imul(eventIndex >>> 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  return new Rng(splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st));
}
