// Puffle's webhook app, emulated: the endpoint a tenant registers (through the emulator's
// own control route, standing in for the vendor's Svix portal), its signing secret, and the
// events sent to it, as Svix sends them: the envelope {type, timestamp, data} signed with the
// Standard Webhooks scheme (standardwebhooks, the reference library), the same svix-id on
// every retry, a fresh svix-timestamp and signature per attempt, Svix's retry schedule.
// The mechanics of sending and retrying are deliveries.js; one Deliveries (and so one
// bounded log) per tenant, so that no tenant sees or crowds out another's deliveries.
//
// The secret is shown once, in the answer that registers the endpoint. It lives in the
// tenant's state (and the state file, which a restart needs to keep signing) and in the
// closures that sign; never in a log line, an error, the delivery log or another answer.
import { randomBytes, randomInt } from 'node:crypto';
import standardwebhooks from 'standardwebhooks';
import { Deliveries } from './deliveries.js';
import { PUFFLE_WEBHOOKS } from '../vendors/puffle.js';

const { Webhook } = standardwebhooks;
const [ID_HEADER] = PUFFLE_WEBHOOKS.headers.id;
const [TIMESTAMP_HEADER] = PUFFLE_WEBHOOKS.headers.timestamp;
const [SIGNATURE_HEADER] = PUFFLE_WEBHOOKS.headers.signature;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new endpoint secret: `whsec_` and the base64 of 24 random bytes, as Svix makes them. */
function newSecret() {
  return `${PUFFLE_WEBHOOKS.secretPrefix}${randomBytes(24).toString('base64')}`;
}

/** A message id in Svix's form: `msg_` and 27 base62 characters. */
function newMessageId() {
  let id = 'msg_';
  for (let i = 0; i < 27; i++) id += BASE62[randomInt(62)];
  return id;
}

export class PuffleWebhooks {
  #options;
  #log;
  #contract;
  #onViolation;
  #deliveries = new Map(); // tenant id -> Deliveries

  /**
   * @param {object} o
   * @param {number} [o.retryScale=1] multiplies Svix's retry waits (tests: 0.001)
   * @param {number} [o.timeoutMs] how long an attempt waits for an answer (Svix: 15 s)
   * @param {number} [o.maxLog=1000] deliveries each tenant's log keeps
   * @param {Function} o.log (level, message)
   * @param {object|null} [o.contract] strictResponses: events are checked against the document
   *   (contract.js) first, and one that breaks it is reported to `onViolation`, not sent
   * @param {Function} [o.onViolation] ({request, status: null, violations, message})
   */
  constructor({ retryScale = 1, timeoutMs = PUFFLE_WEBHOOKS.attemptTimeoutMs, maxLog = 1000, log, contract = null, onViolation }) {
    this.#options = { schedule: PUFFLE_WEBHOOKS.retryScheduleMs, scale: retryScale, timeoutMs, maxLog };
    this.#log = log;
    this.#contract = contract;
    this.#onViolation = onViolation;
  }

  /**
   * Registers `url` as the tenant's endpoint, replacing any previous one (whose pending
   * deliveries stop), with a new secret; the tenant then has a webhook app. Returns the
   * endpoint with its secret: the one place the secret is ever shown.
   */
  register(tenant, url) {
    this.#cancelPending(tenant);
    tenant.webhookApp = true;
    tenant.webhookEndpoint = { url, secret: newSecret(), createdAt: new Date().toISOString() };
    return { ...tenant.webhookEndpoint };
  }

  /** Removes the tenant's webhook app and endpoint; pending deliveries stop. */
  remove(tenant) {
    this.#cancelPending(tenant);
    tenant.webhookApp = false;
    tenant.webhookEndpoint = null;
  }

  /** The tenant's endpoint without its secret, or null. */
  endpointOf(tenant) {
    const endpoint = tenant.webhookEndpoint;
    return endpoint ? { url: endpoint.url, createdAt: endpoint.createdAt } : null;
  }

  /**
   * Sends one event to the tenant's endpoint: `{type, timestamp (now), data}`. Returns the
   * message id (`svix-id`), or null when the tenant has no endpoint (or, strict, the event
   * breaks the document).
   */
  emit(tenant, type, data) {
    const endpoint = tenant.webhookEndpoint;
    if (!endpoint) return null;
    const event = { type, timestamp: new Date().toISOString(), data };
    const violations = this.#contract?.checkEvent('puffle', event) ?? [];
    if (violations.length) {
      const message = `the emulator's ${type} event violates schemas/openapi/puffle.json: ${violations.map((v) => v.message).join('; ')}`;
      this.#onViolation({ request: `webhook ${type}`, status: null, violations, message });
      return null;
    }
    const signer = new Webhook(endpoint.secret);
    const body = JSON.stringify(event);
    return this.#of(tenant).send({
      url: endpoint.url,
      body,
      id: newMessageId(),
      label: type,
      headers: ({ id, date }) => ({
        [ID_HEADER]: id,
        [TIMESTAMP_HEADER]: String(Math.floor(date.getTime() / 1000)),
        [SIGNATURE_HEADER]: signer.sign(id, date, body),
        'user-agent': 'signalkit-emulator (Svix stand-in)',
      }),
    });
  }

  /** The tenant's delivery log, oldest first (deliveries.js records). */
  deliveries(tenant) {
    return this.#deliveries.get(tenant.id)?.list() ?? [];
  }

  /** Stops every pending delivery of every tenant. */
  async close() {
    await Promise.all([...this.#deliveries.values()].map((d) => d.close()));
  }

  #of(tenant) {
    let deliveries = this.#deliveries.get(tenant.id);
    if (!deliveries) {
      deliveries = new Deliveries({ ...this.#options, log: this.#log });
      this.#deliveries.set(tenant.id, deliveries);
    }
    return deliveries;
  }

  #cancelPending(tenant) {
    const deliveries = this.#deliveries.get(tenant.id);
    for (const record of deliveries?.list() ?? []) {
      if (record.status === 'pending') deliveries.cancel(record.id);
    }
  }
}
