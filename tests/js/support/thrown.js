// What a synchronous call threw, for tests that inspect the error itself.

/** Runs `fn` and returns what it threw (fails the test when nothing was thrown). */
export function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}
