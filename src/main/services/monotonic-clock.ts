/*
 * Monotonic milliseconds, for durations the agent measures (probes, actions, the speed test). Node's
 * `performance` global gives the same, but its first use loads perf_hooks and about a dozen modules
 * behind it: 0.7 MB of the always-running daemon's RSS, which netmon's probes would pay every minute
 * (scripts/bench/agent-core.bench.ts). process.hrtime is loaded anyway. ESLint keeps `performance` out of
 * src/main.
 */

/** Milliseconds on a monotonic clock with an arbitrary origin (compare two readings only). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
