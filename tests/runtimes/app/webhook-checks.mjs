// What the matrix asks of a signalkit/webhooks receiver in each runtime
// (tests/runtimes/matrix.test.mjs): a delivery signed by the Standard Webhooks reference
// library is accepted and handled once, its retry (same svix-id) is answered as a duplicate
// without running onEvent again, and a tampered body is refused. `call(path, init)` sends one
// request; the receiver is at /webhooks and lists the ids it ran onEvent for at /events.
import standardwebhooks from 'standardwebhooks';

export const WEBHOOK_EXPECTED = {
  first: [200, { received: true }],
  retry: [200, { received: true, duplicate: true }],
  tampered: [401, 'bad_signature'],
  handled: ['msg_runtime_1'],
};

export async function webhookChecks(call, secret) {
  const id = 'msg_runtime_1';
  const body = JSON.stringify({ type: 'signal.detected', timestamp: new Date().toISOString(), data: { id: 'sig_1', headline: 'Acme is hiring' } });
  const timestamp = new Date();
  const signature = new standardwebhooks.Webhook(secret).sign(id, timestamp, body);
  const headers = { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(timestamp / 1000)), 'svix-signature': signature };
  const post = async (text) => {
    const res = await call('/webhooks', { method: 'POST', headers, body: text });
    return [res.status, await res.json()];
  };
  const first = await post(body);
  const retry = await post(body);
  const tampered = await post(body.replace('hiring', 'firing'));
  const handled = await (await call('/events')).json();
  return { first, retry, tampered: [tampered[0], tampered[1]?.error?.code], handled };
}
