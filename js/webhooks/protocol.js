// Puffle's webhook protocol: Svix deliveries signed with the Standard Webhooks scheme.
// The receiver (this folder) and, later, the emulator's sender read these facts from here.

/**
 * The three delivery headers, Svix-branded first. The Standard Webhooks names are accepted
 * as well, as Svix's own libraries do, for relays that rename the headers.
 */
export const HEADERS = Object.freeze({
  id: Object.freeze(['svix-id', 'webhook-id']),
  timestamp: Object.freeze(['svix-timestamp', 'webhook-timestamp']),
  signature: Object.freeze(['svix-signature', 'webhook-signature']),
});

/** An endpoint's signing secret is `whsec_` followed by the base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';

/** The Standard Webhooks tolerance for `svix-timestamp`, either side of the receiver's clock. */
export const DEFAULT_TOLERANCE_SEC = 300;

/** The event types Puffle documents; any other type is passed through untyped. */
export const EVENT_TYPES = Object.freeze(['signal.detected', 'research.complete', 'research.failed']);
