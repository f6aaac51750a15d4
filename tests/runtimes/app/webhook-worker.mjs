// A signalkit/webhooks receiver as a Cloudflare Worker, as docs/webhooks.md writes it
// (`export default { fetch: handler.fetch }`, the secret from env), plus /events: the ids
// onEvent has run for, so the checks can count them.
import { createWebhookHandler } from 'signalkit/webhooks';

const events = [];
let handler;
export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === '/events') return Response.json(events);
    handler ??= createWebhookHandler({ secret: env.WEBHOOK_SECRET, onEvent: (event) => { events.push(event.id); } });
    return handler.fetch(request);
  },
};
