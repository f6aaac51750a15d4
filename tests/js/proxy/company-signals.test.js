// Saber company signals through signalkit/proxy against the real emulator: create, get, list
// and sync forwarded with the server's key (sync's wait headers too), refused before
// forwarding when the engine finds the request invalid; and a SaberClient in proxy mode
// ({proxy}: no key) scoring a company through it exactly as a client with the key scores it.
import { createProxy } from '../../../js/proxy/index.js';
import { loadEngine, SaberClient } from '../../../js/index.js';
import { newTemplate, saber, saberKey, start } from '../client/helpers.js';
import { FLAVOURS, json } from './helpers.js';

const SIGNALS = '/saber/v1/companies/signals';

let emu;
let slow;
let engine;
beforeAll(async () => {
  engine = await loadEngine();
  emu = await start({ researchDelayMs: [10, 40] });
  slow = await start({ researchDelayMs: 5_000 });
});
afterAll(async () => {
  await emu?.close();
  await slow?.close();
});

const proxyFor = (at, name, options = {}) => createProxy({
  saberKey: saberKey(`proxy:${name}`), saberBaseUrl: `${at.url}/v1`, engine, maxRetries: 0, allow: ['saber.companySignal.*', 'saber.template.*'], ...options,
});

/** A template of the proxy's tenant (created with its key, directly). */
async function templateOf(at, name, template = newTemplate('Headcount')) {
  return saber(at, `proxy:${name}`, { engine }).templates.create(template);
}

describe.each(FLAVOURS)('%s', (flavour, { serve }) => {
  let served;
  afterEach(() => served?.close());
  const tag = flavour.startsWith('Node') ? 'node' : 'fetch';

  test('create, get, list and sync are forwarded with the server\'s key; the answers are Saber\'s', async () => {
    const name = `signals-${tag}`;
    const template = await templateOf(emu, name);
    served = await serve(proxyFor(emu, name));
    const created = await served.call(SIGNALS, json('POST', { domain: 'acme.com', signalTemplateId: template.id, forceRefresh: true }));
    expect(created.status).toBe(201);
    const signal = await created.json();
    expect(signal.domain).toBe('acme.com');
    expect(['processing', 'completed']).toContain(signal.status);

    const got = await served.call(`${SIGNALS}/${signal.id}`);
    expect(got.status).toBe(200);
    expect((await got.json()).id).toBe(signal.id);

    const synced = await served.call(`${SIGNALS}/sync`, json('POST', { domain: 'globex.com', signalTemplateId: template.id }, { 'x-sbr-timeout-sec': '30' }));
    expect(synced.status).toBe(200);
    expect((await synced.json())).toMatchObject({ domain: 'globex.com', status: 'completed' });

    // One status is a list of one, as Saber takes it.
    const listed = await served.call(`${SIGNALS}?domain=globex.com&status=completed`);
    expect(listed.status).toBe(200);
    const page = await listed.json();
    expect(page.results.map((s) => s.domain)).toEqual(['globex.com']);
    // The same as the key's own client lists.
    const direct = await saber(emu, `proxy:${name}`, { engine }).signals.list({ domain: 'globex.com', status: ['completed'] }).firstPage();
    expect(page).toEqual(direct);
  });

  test('sync: research still going is Saber\'s 202 with the processing signal; with X-Sbr-Timeout-Error a 408', async () => {
    const name = `sync-${tag}`;
    const template = await templateOf(slow, name);
    served = await serve(proxyFor(slow, name));
    const body = { domain: 'initech.com', signalTemplateId: template.id };
    const pending = await served.call(`${SIGNALS}/sync`, json('POST', body, { 'x-sbr-timeout-sec': '1' }));
    expect(pending.status).toBe(202);
    expect((await pending.json()).status).toBe('processing');
    const timedOut = await served.call(`${SIGNALS}/sync`, json('POST', { ...body, forceRefresh: true }, { 'x-sbr-timeout-sec': '1', 'x-sbr-timeout-error': 'true' }));
    expect(timedOut.status).toBe(408);
    expect((await timedOut.json()).error).toMatchObject({ source: 'saber', operation: 'saber.companySignal.sync' });
  });

  test('an invalid domain, body or wait header is refused with the engine\'s issues and never forwarded', async () => {
    const name = `invalid-${tag}`;
    const template = await templateOf(emu, name);
    served = await serve(proxyFor(emu, name));
    const before = emu.count('POST', '/v1/companies/signals');
    const bad = { domain: 'https://acme.com/', signalTemplateId: template.id };
    for (const path of [SIGNALS, `${SIGNALS}/sync`]) {
      const res = await served.call(path, json('POST', bad));
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('validation_failed');
      expect(error.fields).toEqual(engine.validate('saber.companySignal.create', JSON.stringify(bad)).issues);
    }
    const good = { domain: 'acme.com', signalTemplateId: template.id };
    for (const [header, value] of [['x-sbr-timeout-sec', '0'], ['x-sbr-timeout-sec', '901'], ['x-sbr-timeout-sec', 'soon'], ['x-sbr-timeout-error', 'yes']]) {
      const res = await served.call(`${SIGNALS}/sync`, json('POST', good, { [header]: value }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.fields.map((f) => f.field)).toEqual([header === 'x-sbr-timeout-sec' ? 'X-Sbr-Timeout-Sec' : 'X-Sbr-Timeout-Error']);
    }
    const list = await served.call(`${SIGNALS}?limit=26`);
    expect(list.status).toBe(400);
    expect((await list.json()).error.fields[0].field).toBe('limit');
    expect(emu.count('POST', '/v1/companies/signals')).toBe(before);
  });

  test('a SaberClient with {proxy} sends no key and scores a company as a client with the key does', async () => {
    const name = `score-${tag}`;
    const templates = [
      await templateOf(emu, name, newTemplate('Headcount')),
      await templateOf(emu, name, {
        name: 'CRM', question: 'Which CRM does the company use?', answerType: 'list', weight: 'nice_to_have',
        qualificationCriteria: { choices: { salesforce: { answerQualification: 'excellent', label: 'Salesforce' }, hubspot: { answerQualification: 'good', label: 'HubSpot' } } },
      }),
    ];
    served = await serve(proxyFor(emu, name));
    const sent = [];
    // The client's URLs go to the served proxy (the Fetch API flavour has no address of its own).
    const client = new SaberClient({
      proxy: 'http://localhost', engine,
      fetch: (url, init) => { sent.push({ url, authorization: new Headers(init.headers).get('authorization') }); return served.call(new URL(url).pathname + new URL(url).search, init); },
    });
    const viaProxy = await client.scoreCompany('hooli.com', { templates, wait: { interval: 20 } });
    const direct = await saber(emu, `proxy:${name}`, { engine }).scoreCompany('hooli.com', { templates, wait: { interval: 20 } });
    expect(viaProxy.errors).toEqual([]);
    expect(viaProxy.score).toBe(direct.score);
    expect(viaProxy.answers.map((a) => a.answer)).toEqual(direct.answers.map((a) => a.answer));
    expect(viaProxy.parts).toEqual(direct.parts);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.url.startsWith(`http://localhost${SIGNALS}`) && r.authorization === null)).toBe(true);
    expect(client.toJSON()).toEqual({ provider: 'Saber', baseUrl: 'http://localhost/saber/v1', apiKey: null });
  });
});

test('SaberClient {proxy}: not with a key or a base URL, and a URL it can use', () => {
  expect(() => new SaberClient({ proxy: 'http://127.0.0.1:1/proxy', apiKey: saberKey('x') })).toThrow(/give proxy or apiKey/);
  expect(() => new SaberClient({ proxy: 'http://127.0.0.1:1/proxy', baseUrl: 'http://127.0.0.1:1/v1' })).toThrow(/give proxy or apiKey/);
  expect(() => new SaberClient({ proxy: '' })).toThrow(/proxy must be the URL of a signalkit proxy/);
  expect(() => new SaberClient({ proxy: '/proxy' })).toThrow(/proxy is not a valid URL/); // outside a page: absolute only
  expect(() => new SaberClient({ proxy: 'http://example.com/proxy' })).toThrow(/must use https/);
  expect(new SaberClient({ proxy: 'https://app.example/proxy/' }).baseUrl).toBe('https://app.example/proxy/saber/v1');
});
