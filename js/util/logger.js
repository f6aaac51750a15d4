// The `logger` option of the clients and the emulator, normalised to one function
// `(level, message)`. Levels are 'info', 'warn' and 'error'; messages never carry a full key.

/**
 * `undefined`, `null` or `false`: silent. A function: called as `(level, message)`. An object:
 * its method of that level (`info`, `warn`, `error`), else its `log`, else nothing.
 */
export function makeLogger(logger) {
  if (logger === undefined || logger === null || logger === false) return () => {};
  if (typeof logger === 'function') return (level, message) => logger(level, message);
  if (typeof logger === 'object') return (level, message) => (logger[level] ?? logger.log)?.call(logger, message);
  throw new TypeError('logger must be a function (level, message) or an object with info/warn/error methods');
}
