// Node CommonJS: the require entries, one engine and one error identity shared with the
// ES module entry, and signalkit/widgets as a no-op without a DOM.
const assert = require('node:assert');
const sk = require('signalkit');
const { startEmulator } = require('signalkit/emulator');
const { verifyWebhook } = require('signalkit/webhooks');

(async () => {
  const esm = await import('signalkit');
  const engine = await sk.loadEngine();
  assert.strictEqual(await esm.loadEngine(), engine, 'one engine for the ESM and CJS entries');
  let thrown;
  try { engine.compileMatcher([{ keywords: 5 }]); } catch (err) { thrown = err; }
  assert.ok(thrown instanceof esm.ValidationError && thrown instanceof sk.ValidationError, 'instanceof across ESM and CJS');
  assert.ok(esm.ValidationError.is(thrown) && sk.isSignalkitError(thrown) && !sk.ApiError.is(thrown));
  const widgets = await import('signalkit/widgets');
  assert.deepStrictEqual(widgets.QUALIFICATIONS, ['disqualified', 'poor', 'neutral', 'good', 'excellent']);
  assert.strictEqual(typeof globalThis.HTMLElement, 'undefined');
  assert.strictEqual(typeof verifyWebhook, 'function');
  const emu = await startEmulator();
  const puffle = new sk.PuffleClient({ apiKey: emu.devKeys.puffle, baseUrl: emu.url });
  const types = await puffle.signalTypes.list();
  await emu.close();
  console.log(JSON.stringify({ types: types.length }));
})().catch((err) => { console.error(err); process.exit(1); });
