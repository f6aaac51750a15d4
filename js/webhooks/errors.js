import { nameErrorClasses, SignalkitError } from '../errors.js';

/** HTTP status a receiver answers for each code (the sender retries any non-2xx). */
const STATUS = Object.freeze({
  missing_header: 400,
  invalid_payload: 400,
  bad_signature: 401,
  stale_timestamp: 401,
  bad_secret: 500, // the receiver's own configuration, not the sender's fault
});

/**
 * A delivery (or the receiver's secret) did not pass verification.
 * - `code`   stable: `missing_header`, `bad_signature`, `stale_timestamp`, `bad_secret`,
 *            `invalid_payload`
 * - `status` the HTTP status to answer with (400, 401; 500 for `bad_secret`)
 * Messages name the header or rule that failed and never contain the secret.
 */
export class WebhookVerificationError extends SignalkitError {
  constructor(code, message) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}
nameErrorClasses({ WebhookVerificationError });
