/** Optional features an agent names in its `hello`; the server sends their frames only to agents naming them. */
export const AGENT_FEATURES = {
  /** Network monitoring: `netmon.config` down, `netmon.batch` up (issue 14). */
  netmon: 'netmon',
} as const;

/** The features this build of the agent understands. */
export const SUPPORTED_AGENT_FEATURES: readonly string[] = Object.values(AGENT_FEATURES);
