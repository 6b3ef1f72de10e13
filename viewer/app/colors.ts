// Colour maps for the viewer, written as bytes straight into Uint8 colour attributes (normalised on the GPU).

/** Viridis at 5 stops, linearly interpolated: perceptually ordered, readable on a dark background. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

/** Writes the colour for `t` in [0, 1] into out[o..o+2]. */
export function viridis(t: number, out: Uint8Array, o: number): void {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  out[o] = a[0] + (b[0] - a[0]) * f;
  out[o + 1] = a[1] + (b[1] - a[1]) * f;
  out[o + 2] = a[2] + (b[2] - a[2]) * f;
}

export const VIRIDIS_CSS = `linear-gradient(to right, ${VIRIDIS.map((c) => `rgb(${c.join(',')})`).join(', ')})`;

/** Edge classes against truth at the threshold. */
export const EDGE_TP: readonly [number, number, number] = [60, 220, 90];
export const EDGE_FP: readonly [number, number, number] = [235, 60, 60];
export const EDGE_FN: readonly [number, number, number] = [255, 170, 0];

/** Match status colours, indexed by MATCH_* (good, duplicate, fake, missed, noise). */
export const MATCH_COLOURS: readonly (readonly [number, number, number])[] = [
  [60, 220, 90],
  [80, 160, 255],
  [235, 60, 60],
  [255, 170, 0],
  [90, 90, 90],
];

/** Hits a graph left out (not graph nodes), in the match colouring with live tracks. */
export const OUTSIDE_GRAPH_COLOUR: readonly [number, number, number] = [70, 80, 120];

/** A distinct, stable colour per integer (volume, particle, track): golden-ratio hue steps, bright enough on black. */
export function categoryColour(k: number, out: Uint8Array, o: number): void {
  const h = (((k * 0.618033988749895) % 1) + 1) % 1;
  const s = 0.75;
  const l = 0.55 + 0.1 * ((k >>> 3) & 1);
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = h * 6;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const m = l - c / 2;
  let r = 0,
    g = 0,
    b = 0;
  if (hp < 1) ((r = c), (g = x));
  else if (hp < 2) ((r = x), (g = c));
  else if (hp < 3) ((g = c), (b = x));
  else if (hp < 4) ((g = x), (b = c));
  else if (hp < 5) ((r = x), (b = c));
  else ((r = c), (b = x));
  out[o] = (r + m) * 255;
  out[o + 1] = (g + m) * 255;
  out[o + 2] = (b + m) * 255;
}

export const cssRgb = (c: readonly [number, number, number]): string => `rgb(${c[0]},${c[1]},${c[2]})`;
