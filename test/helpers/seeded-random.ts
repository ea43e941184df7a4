/**
 * mulberry32: a tiny deterministic generator of 32-bit unsigned integers, so a run (a randomized test, the
 * bench's arrivals) is the same every time and a failing sample can be replayed. Divide by 2^32 for [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same sequence as numbers in [0, 1). */
export function seededUniform(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4_294_967_296;
}
