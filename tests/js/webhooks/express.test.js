// The receiver inside a real Express 5 application, in the three ways docs/webhooks.md names:
// mounted before express.json(), after express.raw() (the raw bytes kept), and the mistake,
// after express.json() (the body parsed: 500 raw_body_required, onEvent never run).
import express from 'express';
import { createWebhookHandler } from '../../../js/webhooks/index.js';
import { SECRET, deliver } from './helpers.js';

let server;
afterEach(() => new Promise((resolve) => {
  if (!server) return resolve();
  server.closeAllConnections();
  server.close(resolve);
}));

async function serve(mount) {
  const handled = [];
  const errors = [];
  const handler = createWebhookHandler({
    secret: SECRET, onEvent: (event) => { handled.push(event.id); }, onError: (error, context) => errors.push(context.code),
  });
  const app = express();
  mount(app, handler);
  server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return { url: `http://127.0.0.1:${server.address().port}/webhooks`, handled, errors };
}

test.each([
  ['before express.json()', (app, handler) => { app.post('/webhooks', handler); app.use(express.json()); }],
  ['after express.raw()', (app, handler) => { app.post('/webhooks', express.raw({ type: 'application/json' }), handler); }],
])('Express 5, the receiver %s: verified, handled once, the retry a duplicate, a tampered body refused', async (_, mount) => {
  const r = await serve(mount);
  expect((await deliver(r.url, { id: 'msg_express' })).body).toEqual({ received: true });
  expect((await deliver(r.url, { id: 'msg_express' })).body).toEqual({ received: true, duplicate: true });
  const tampered = await deliver(r.url, { id: 'msg_tampered', sentBody: '{"type":"signal.detected"}' });
  expect([tampered.status, tampered.body.error.code]).toEqual([401, 'bad_signature']);
  expect(r.handled).toEqual(['msg_express']);
});

test('Express 5, the receiver after express.json(): 500 raw_body_required naming express.raw, onEvent never run', async () => {
  const r = await serve((app, handler) => { app.use(express.json()); app.post('/webhooks', handler); });
  const res = await deliver(r.url);
  expect(res.status).toBe(500);
  expect(res.body.error.code).toBe('raw_body_required');
  expect(res.body.error.message).toContain("express.raw({ type: 'application/json' })");
  expect(r.handled).toEqual([]);
  expect(r.errors).toEqual(['raw_body_required']);
});
