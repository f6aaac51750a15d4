// signalkit/proxy inside a real Express 5 application, as docs/widgets.md writes the recipe:
// `app.use('/signalkit', toNodeHandler(createProxy({ …, basePath: '/signalkit' })))`. Express
// strips the mount path from req.url; the proxy must still see the URL the page asked for.
// Also: an application that mounted express.json() first (the body arrives parsed) is
// validated as JSON.stringify writes it, with the same issues.
import express from 'express';
import { createProxy, toNodeHandler } from '../../../js/proxy/index.js';
import { loadEngine } from '../../../js/index.js';
import { newType, puffleKey, start } from '../client/helpers.js';
import { json } from './helpers.js';

const TYPES = '/signalkit/puffle/api/v1/signals/types';

let emu;
let engine;
beforeAll(async () => {
  engine = await loadEngine();
  emu = await start();
});
afterAll(() => emu.close());

async function listen(app) {
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    call: (path, init) => fetch(`${origin}${path}`, init),
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

function proxy(name) {
  return createProxy({
    puffleKey: puffleKey(`express:${name}`), puffleBaseUrl: emu.puffleBaseUrl, engine, maxRetries: 0,
    allow: ['puffle.signalType.*'], basePath: '/signalkit',
  });
}

describe.each([
  ['mounted before any body parser (the recipe)', (app, handler) => {
    app.use('/signalkit', handler);
    app.use(express.json());
  }],
  ['behind express.json() (the body arrives parsed)', (app, handler) => {
    app.use(express.json());
    app.use('/signalkit', handler);
  }],
])('Express 5, %s', (order, mount) => {
  let served;
  afterEach(() => served?.close());

  test('validates with the engine, forwards with the key, leaves the application its own routes', async () => {
    const name = order.startsWith('mounted') ? 'recipe' : 'parsed';
    const app = express();
    mount(app, toNodeHandler(proxy(name)));
    app.get('/health', (req, res) => res.json({ ok: true }));
    served = await listen(app);

    const body = { name: '', keywords: [], sources: ['myspace'] };
    const invalid = await served.call(TYPES, json('POST', body));
    expect(invalid.status).toBe(400);
    const { error } = await invalid.json();
    expect(error).toMatchObject({ code: 'validation_failed', operation: 'puffle.signalType.create' });
    expect(error.fields).toEqual(engine.validate('puffle.signalType.create', JSON.stringify(body)).issues);

    const created = await served.call(TYPES, json('POST', newType(`Express ${name}`)));
    expect(created.status).toBe(201);
    const type = await created.json();
    expect(type.label).toBe(`Express ${name}`);
    const read = await served.call(`${TYPES}/${type.id}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).not.toContain(puffleKey(`express:${name}`));

    // The proxy's own answer (it saw the full path), not Express's.
    const missing = await served.call('/signalkit/puffle/api/v1/partners/portal');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe('No operation of this proxy lives at /puffle/api/v1/partners/portal.');
    expect(await (await served.call('/health')).json()).toEqual({ ok: true });
  });
});
