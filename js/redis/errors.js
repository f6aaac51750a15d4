// The one error signalkit/redis adds to the family (js/errors.js): the shared count could
// not be reached or answered wrongly. A call that gets it was not sent.
import { SignalkitError } from '../errors.js';

/**
 * `code`: 'redis_unavailable' (no answer in time: down, unreachable, timed out),
 * 'redis_error' (Redis answered with an error) or 'redis_client_missing' (neither ioredis
 * nor redis is installed). `cause` is the client's own error.
 */
export class RedisStoreError extends SignalkitError {
  constructor(message, { code, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}
