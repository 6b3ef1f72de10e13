// Number → CSV text that reads back bit-identical: float32 values get the shortest decimal that rounds to the
// same float32, float64 the shortest that rounds to the same double, both in Python repr style (6.96929e-06,
// -1502.5, 0.0) so written files look like the official pandas-written ones.

/** Renders digits `d` (no dot, no sign, first digit non-zero) × 10^exp the way Python's float repr does. */
function render(neg: boolean, d: string, exp: number): string {
  let body: string;
  if (exp < -4 || exp >= 16) {
    const mag = Math.abs(exp);
    body = `${d[0]}${d.length > 1 ? `.${d.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${mag < 10 ? `0${mag}` : mag}`;
  } else if (exp >= d.length - 1) {
    body = `${d}${'0'.repeat(exp - d.length + 1)}.0`;
  } else if (exp >= 0) {
    body = `${d.slice(0, exp + 1)}.${d.slice(exp + 1)}`;
  } else {
    body = `0.${'0'.repeat(-exp - 1)}${d}`;
  }
  return neg ? `-${body}` : body;
}

/** Splits `toExponential` output ("-1.5025e+3") into sign, digits without trailing zeros, and exponent. */
function fromExponential(s: string): string {
  const neg = s.charCodeAt(0) === 45;
  const ePos = s.indexOf('e');
  let d = s.slice(neg ? 1 : 0, ePos).replace('.', '');
  let end = d.length;
  while (end > 1 && d.charCodeAt(end - 1) === 48) end--;
  if (end !== d.length) d = d.slice(0, end);
  return render(neg, d, Number(s.slice(ePos + 1)));
}

function checkFinite(v: number): void {
  // The readers reject nan/inf, so writing one would make a file we can't read back: a bug upstream.
  if (!Number.isFinite(v)) throw new Error(`cannot write non-finite value ${v} to a TrackML file`);
}

// Exact powers of ten as doubles (10^0 … 10^22).
const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(Number(`1e${i}`));

/** Shortest decimal that parses back to the float32 `v` (v must already be a float32 value, e.g. from a
 * Float32Array). Fast path: for p = 1…9 significant digits take the nearest p-digit decimal m·10^k with plain
 * double arithmetic; m < 2^53 and |k| ≤ 22 make m·10^k (or m/10^-k) the correctly rounded double, i.e. exactly
 * what the reader computes, so `fround(that) === v` proves the round trip without building strings. */
export function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  checkFinite(v);
  const neg = v < 0;
  const a = neg ? -v : v;
  let e = Math.floor(Math.log10(a)); // decimal exponent of the leading digit, corrected below
  if (e >= -22 && e <= 22) {
    if (e >= 0 ? POW10[e] > a : 1 / POW10[-e] > a) e--;
    else if (e + 1 <= 22 && (e + 1 >= 0 ? POW10[e + 1] <= a : 1 / POW10[-e - 1] <= a)) e++;
  }
  for (let p = 1; p <= 9; p++) {
    const k = e - p + 1; // value = m · 10^k with m of p digits
    if (k < -22 || k > 22) break;
    let m: number;
    let back: number;
    if (k < 0) {
      m = Math.round(a * POW10[-k]);
      back = m / POW10[-k];
    } else {
      m = Math.round(a / POW10[k]);
      back = m * POW10[k];
    }
    if (Math.fround(back) === a) {
      let digits = String(m);
      // Rounding up can carry into a new leading digit (9.99… → 10.0): the exponent grows by one.
      const exp = k + digits.length - 1;
      let end = digits.length;
      while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
      if (end !== digits.length) digits = digits.slice(0, end);
      return render(neg, digits, exp);
    }
  }
  return formatFloat32Slow(v);
}

/** Reference path for magnitudes outside 10^±22 (and the proof-of-concept in tests): scan precisions with the
 * engine's decimal conversions. */
export function formatFloat32Slow(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  checkFinite(v);
  let s = v.toExponential(8); // 9 significant digits always round-trip a float32
  for (let p = 0; p <= 7; p++) {
    const shorter = v.toExponential(p);
    if (Math.fround(Number(shorter)) === v) {
      s = shorter;
      break;
    }
  }
  return fromExponential(s);
}

/** Shortest decimal that parses back to the double `v` (the engine's shortest round-trip digits). */
export function formatFloat64(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  checkFinite(v);
  return fromExponential(v.toExponential());
}
