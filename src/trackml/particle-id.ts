// TrackML particle id bit layout (64 bits): vertex_id 52–63 | primary_id 36–51 | generation 24–35 |
// secondary_id 12–23 | process 0–11. Decoding tells primaries from secondaries and groups particles by vertex.

export interface ParticleIdParts {
  /** 12 bits: the generated vertex (0 = none). */
  vertexId: number;
  /** 16 bits: the primary particle at that vertex. */
  primaryId: number;
  /** 12 bits: 0 for a primary, >0 for secondaries. */
  generation: number;
  /** 12 bits: the secondary's index within its generation. */
  secondaryId: number;
  /** 12 bits: the physics process that produced it. */
  process: number;
}

const FIELDS = [
  ['vertexId', 52n, 0xfffn],
  ['primaryId', 36n, 0xffffn],
  ['generation', 24n, 0xfffn],
  ['secondaryId', 12n, 0xfffn],
  ['process', 0n, 0xfffn],
] as const;

export function decodeParticleId(id: bigint): ParticleIdParts {
  if (id < 0n || id > 0xffffffffffffffffn) throw new RangeError(`particle id ${id} is not an unsigned 64-bit integer`);
  return {
    vertexId: Number((id >> 52n) & 0xfffn),
    primaryId: Number((id >> 36n) & 0xffffn),
    generation: Number((id >> 24n) & 0xfffn),
    secondaryId: Number((id >> 12n) & 0xfffn),
    process: Number(id & 0xfffn),
  };
}

/** Inverse of decodeParticleId; each part must fit its bit field. */
export function encodeParticleId(parts: ParticleIdParts): bigint {
  let id = 0n;
  for (const [key, shift, mask] of FIELDS) {
    const v = parts[key];
    if (!Number.isInteger(v) || v < 0 || BigInt(v) > mask) {
      throw new RangeError(`particle id part ${key}=${v} does not fit ${mask.toString(2).length} bits`);
    }
    id |= BigInt(v) << shift;
  }
  return id;
}
