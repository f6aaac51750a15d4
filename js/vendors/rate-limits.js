// How a caller's partial rate-limit option combines with a vendor's documented limits.
// Used by the Saber client's buckets and by the emulator's, so both scale a burst alike.

/**
 * `{limit, windowMs, burst}` from the documented limits and the given overrides. A smaller
 * limit without an explicit burst keeps the documented burst/limit ratio (documented limits
 * without a burst have a burst of `limit`). Values are not checked here; callers check them
 * with their own option names.
 */
export function bucketLimits(documented, given = {}) {
  const documentedBurst = documented.burst ?? documented.limit;
  const limit = given.limit ?? documented.limit;
  const windowMs = given.windowMs ?? documented.windowMs;
  const burst = given.burst ?? (given.limit !== undefined
    ? Math.max(1, Math.round((limit * documentedBurst) / documented.limit))
    : documentedBurst);
  return { limit, windowMs, burst };
}
