/** Bounds that keep hostile or runaway expressions cheap. */
export const LIMITS = {
  sourceLength: 4000,
  depth: 64,
  stringLength: 100_000,
  regexLength: 200,
  regexInputLength: 10_000,
} as const;
