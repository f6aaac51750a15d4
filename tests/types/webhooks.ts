// Type-level usage of signalkit/webhooks, through the package's "exports" (as users import
// it). Checked by `tsc --noEmit -p tests/types`; never executed. The @ts-expect-error lines
// fail the check if the declarations loosen.
import http from 'node:http';
import {
  createWebhookHandler,
  isKnownEvent,
  memoryDedupeStore,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookDedupeStore,
  type WebhookEvent,
  type UnknownWebhookEvent,
} from 'signalkit/webhooks';
import { SignalkitError } from 'signalkit';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function assertType<T extends true>(): void {}

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function handle(event: WebhookEvent): string {
  if (!isKnownEvent(event)) {
    assertType<Equal<typeof event, UnknownWebhookEvent>>();
    const open: unknown = event.data['anything'];
    return `${event.type} ${String(open)}`;
  }
  switch (event.type) {
    case 'signal.detected': {
      const { headline, score, source, detected_at } = event.data;
      const n: number = score;
      // @ts-expect-error score is a number
      const s: string = event.data.score;
      void [n, s, source, detected_at];
      return headline;
    }
    case 'research.complete': {
      const icp: number = event.data.icp_score;
      // @ts-expect-error signal fields are not on research events
      void event.data.headline;
      return `${event.data.first_name} ${event.data.last_name} at ${event.data.company} (${icp}) ${event.data.report_url}`;
    }
    case 'research.failed':
      return JSON.stringify(event.data);
    default: {
      const none: never = event;
      return none;
    }
  }
}

function verifying(body: Buffer, headers: http.IncomingHttpHeaders, request: Request): void {
  const a = verifyWebhook(body, headers, secret);
  const b = verifyWebhook('{"type":"x"}', request.headers, secret, { toleranceSec: 60, now: new Date() });
  const c = verifyWebhook(new Uint8Array(body), { 'svix-id': 'msg_1' }, secret, { now: Date.now() });
  assertType<Equal<typeof a, WebhookEvent>>();
  const id: string = b.id;
  const when: string = c.timestamp;
  void [handle(a), id, when];
  // @ts-expect-error the body must be raw, not parsed JSON
  verifyWebhook({ type: 'signal.detected' }, headers, secret);
  // @ts-expect-error unknown option
  verifyWebhook(body, headers, secret, { tolerance: 60 });
  try {
    verifyWebhook(body, headers, secret);
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      const code: 'missing_header' | 'bad_signature' | 'stale_timestamp' | 'bad_secret' | 'invalid_payload' = err.code;
      const status: number = err.status;
      const base: SignalkitError = err;
      void [code, status, base];
      // @ts-expect-error codes are a closed union
      if (err.code === 'expired') return;
    }
  }
}

// A store over any async key-value service: the shape a Redis store implements.
const kv = new Map<string, string>();
const customStore: WebhookDedupeStore = {
  async claim(id) {
    const state = kv.get(id);
    if (state === 'handled' || state === 'processing') return state;
    kv.set(id, 'processing');
    return 'claimed';
  },
  async complete(id) {
    kv.set(id, 'handled');
  },
  async release(id) {
    kv.delete(id);
  },
};

const handler = createWebhookHandler({
  secret,
  onEvent: async (event) => {
    handle(event);
  },
  toleranceSec: 300,
  dedupe: { store: customStore, windowMs: 86_400_000, leaseMs: 30_000 },
  maxBodyBytes: 65_536,
  onError: (error, { code, id }) => console.error(code, id, error),
});
createWebhookHandler({ secret, onEvent: () => {}, dedupe: { store: memoryDedupeStore({ maxEntries: 100, now: () => 0 }) } });
// @ts-expect-error onEvent is required
createWebhookHandler({ secret });
// @ts-expect-error a store must implement release too
createWebhookHandler({ secret, onEvent: () => {}, dedupe: { store: { claim: customStore.claim, complete: customStore.complete } } });

// Node http, and the Fetch API (Workers: `export default { fetch: handler.fetch }`).
http.createServer(handler);
const worker = { fetch: handler.fetch };
async function viaFetch(request: Request): Promise<number> {
  const response: Response = await worker.fetch(request);
  return response.status;
}
void viaFetch;
void verifying;
