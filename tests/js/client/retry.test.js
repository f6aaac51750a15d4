// Retries (README "Retries"), proven with the emulator's fault mode: safe calls retry network
// errors, 408/429/5xx and broken bodies; unsafe calls are never retried once the request
// may have reached the server, so a dropped connection never creates a duplicate.
import {
  AbortError, AuthenticationError, NetworkError, ServerError, TimeoutError, ValidationError,
} from '../../../js/index.js';
import { countingFetch, failure, newTemplate, newType, puffle, puffleKey, saber, start, PuffleClient } from './helpers.js';
import { workspace } from '../emulator/helpers.js';

let emu;
beforeAll(async () => { emu = await start({ faults: { seed: 3 } }); });
afterAll(() => emu.close());
afterEach(() => emu.clearFaults());

const TYPES = '/api/v1/signals/types';
const TEMPLATES = '/v1/companies/signals/templates';

function withRetries(client) {
  const retries = [];
  return { retries, hooks: { onRetry: (s) => retries.push(s) } };
}

test('a safe GET retries 500 and 502, then succeeds; onRetry sees each retry', async () => {
  const { retries, hooks } = withRetries();
  const client = puffle(emu, 'get-5xx', { hooks });
  await emu.plan({ next: [{ type: 'status', status: 500, route: 'puffle.signalType.list' }, { type: 'status', status: 502, route: 'puffle.signalType.list' }] });
  const before = emu.count('GET', TYPES);
  expect(await client.signalTypes.list()).toHaveLength(4);
  expect(emu.count('GET', TYPES) - before).toBe(3);
  expect(retries.map((r) => [r.retry, r.error.status, r.method])).toEqual([[1, 500, 'GET'], [2, 502, 'GET']]);
  expect(retries.every((r) => r.delayMs >= 0 && r.delayMs <= 20)).toBe(true);
});

test('retries are bounded: maxRetries (default 2) then the ServerError', async () => {
  const client = puffle(emu, 'get-exhaust');
  await emu.plan({ next: [{ type: 'status', status: 500, count: 5, route: 'puffle.signalType.list' }] });
  const before = emu.count('GET', TYPES);
  const err = await failure(client.signalTypes.list());
  expect(err).toBeInstanceOf(ServerError);
  expect(err).toMatchObject({ status: 500, code: 'internal_error' });
  expect(emu.count('GET', TYPES) - before).toBe(3);
  await emu.clearFaults();
  await emu.plan({ next: [{ type: 'status', status: 500, count: 5, route: 'puffle.signalType.list' }] });
  await failure(client.signalTypes.list({ maxRetries: 0 }));
  expect(emu.count('GET', TYPES) - before).toBe(4);
});

test('a 503 with Retry-After is retried after the time it asks for', async () => {
  const { retries, hooks } = withRetries();
  const client = saber(emu, 'get-503', { hooks });
  await emu.plan({ next: [{ type: 'status', status: 503, route: 'saber.template.list' }] });
  expect(await client.templates.list().toArray()).toEqual([]);
  expect(retries).toHaveLength(1);
  expect(retries[0].delayMs).toBeGreaterThanOrEqual(1000);
});

test.each([
  ['drop_before'], ['drop_after'], ['malformed_body'], ['truncated_body'],
])('a safe GET recovers from %s', async (type) => {
  const { retries, hooks } = withRetries();
  const client = saber(emu, `get-${type}`, { hooks });
  await client.templates.create(newTemplate('One'));
  await emu.plan({ next: [{ type, route: 'saber.template.list' }] });
  const items = await client.templates.list().toArray();
  expect(items.map((t) => t.name)).toEqual(['One']);
  expect(retries).toHaveLength(1);
  expect(retries[0].error).toBeInstanceOf(type === 'malformed_body' ? Error : NetworkError);
});

describe('unsafe calls are never retried after the request may have reached the server', () => {
  test('Puffle create + drop_after: NetworkError, one request, exactly one type (no duplicate)', async () => {
    const client = puffle(emu, 'create-drop');
    await emu.plan({ next: [{ type: 'drop_after', route: 'puffle.signalType.create' }] });
    const before = emu.count('POST', TYPES);
    const err = await failure(client.signalTypes.create(newType('Exactly once')));
    expect(err).toBeInstanceOf(NetworkError);
    expect(emu.count('POST', TYPES) - before).toBe(1);
    const types = await client.signalTypes.list();
    expect(types.filter((t) => t.label === 'Exactly once')).toHaveLength(1);
  });

  test('Puffle create + 500 / 503 / malformed / truncated body: one request each', async () => {
    const client = puffle(emu, 'create-5xx');
    const faults = [{ type: 'status', status: 500 }, { type: 'status', status: 503 }, { type: 'malformed_body' }, { type: 'truncated_body' }];
    for (const [i, f] of faults.entries()) {
      await emu.plan({ next: [{ ...f, route: 'puffle.signalType.create' }] });
      const before = emu.count('POST', TYPES);
      await failure(client.signalTypes.create(newType(`Once ${i}`)));
      expect(emu.count('POST', TYPES) - before).toBe(1);
    }
    const labels = (await client.signalTypes.list()).map((t) => t.label);
    // The malformed and truncated answers came after processing: stored once each.
    expect(labels.filter((l) => l.startsWith('Once '))).toEqual(['Once 2', 'Once 3']);
  });

  test('Puffle generate + drop_after: one run only', async () => {
    const client = puffle(emu, 'generate-drop');
    await client.context.set(workspace({ company: 'Acme' }));
    const [hiring] = await client.signalTypes.list();
    await emu.plan({ next: [{ type: 'drop_after', route: 'puffle.signalType.generate' }] });
    const before = emu.count('POST', `${TYPES}/${hiring.id}/generate`);
    expect(await failure(client.signalTypes.generate(hiring.id))).toBeInstanceOf(NetworkError);
    expect(emu.count('POST', `${TYPES}/${hiring.id}/generate`) - before).toBe(1);
  });

  test('Puffle PATCH + 502: not retried', async () => {
    const client = puffle(emu, 'patch-502');
    const t = await client.signalTypes.create(newType('Patch me'));
    await emu.plan({ next: [{ type: 'status', status: 502, route: 'puffle.signalType.update' }] });
    const before = emu.count('PATCH', TYPES);
    expect(await failure(client.signalTypes.update(t.id, { enabled: false }))).toBeInstanceOf(ServerError);
    expect(emu.count('PATCH', TYPES) - before).toBe(1);
  });

  test('Saber POST and PATCH + drop_after: one template, one new version', async () => {
    const client = saber(emu, 'saber-drop');
    await emu.plan({ next: [{ type: 'drop_after', route: 'saber.template.create' }] });
    expect(await failure(client.templates.create(newTemplate('Single')))).toBeInstanceOf(NetworkError);
    const [t] = await client.templates.list().toArray();
    expect(t).toMatchObject({ name: 'Single', version: 1 });
    await emu.plan({ next: [{ type: 'drop_after', route: 'saber.template.update' }] });
    expect(await failure(client.templates.update(t.id, { name: 'Single v2' }))).toBeInstanceOf(NetworkError);
    // One new version: the template's latest is version 2 (superseded versions are not listed).
    expect(await client.templates.get(t.templateId)).toMatchObject({ name: 'Single v2', version: 2 });
    expect(await client.templates.list().toArray()).toEqual([expect.objectContaining({ name: 'Single v2', version: 2 })]);
  });
});

test('idempotent POSTs (dismiss, feedback) and DELETE are retried like reads', async () => {
  const { retries, hooks } = withRetries();
  const client = puffle(emu, 'dismiss-drop', { hooks });
  const [s] = await client.signals.list({ limit: 1 }).toArray({ limit: 1 });
  await emu.plan({ next: [{ type: 'drop_after', route: 'puffle.signal.dismiss' }, { type: 'status', status: 500, route: 'puffle.signal.feedback' }] });
  expect(await client.signals.dismiss(s.id)).toEqual({ success: true });
  expect(await client.signals.feedback(s.id, 'positive')).toEqual({ success: true });
  const sab = saber(emu, 'delete-drop', { hooks });
  const t = await sab.templates.create(newTemplate('Delete me'));
  await emu.plan({ next: [{ type: 'drop_after', route: 'saber.template.delete' }] });
  await sab.templates.delete(t.id);
  expect(retries.map((r) => r.method)).toEqual(['POST', 'POST', 'DELETE']);
});

test('400, 401, 409 and 428 are never retried', async () => {
  const restricted = await start({ keys: [puffleKey('allowed')] });
  try {
    const fetchSpy = countingFetch();
    const stranger = new PuffleClient({ apiKey: puffleKey('stranger'), baseUrl: `${restricted.url}/api/v1`, fetch: fetchSpy });
    const err = await failure(stranger.signalTypes.list());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(fetchSpy.calls).toHaveLength(1);
  } finally {
    await restricted.close();
  }
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'no-retry', { fetch: fetchSpy });
  const hiringId = (await puffle(emu, 'no-retry').signalTypes.list())[0].id;
  await failure(client.signalTypes.update(hiringId, { name: 'renamed' })); // 400 from the server (no context)
  await client.signalTypes.create(newType('Dup'));
  await failure(puffle(emu, 'no-retry', { fetch: fetchSpy }).signalTypes.create(newType('Dup'))); // 409
  await failure(client.signalTypes.generate(hiringId)); // GET, then 428
  expect(fetchSpy.calls.map((c) => c.method)).toEqual(['PATCH', 'POST', 'POST', 'GET', 'POST']);
});

test('a refused connection is retried even for unsafe calls (nothing reached a server)', async () => {
  const { retries, hooks } = withRetries();
  const closed = await start();
  const url = closed.url;
  await closed.close();
  const client = new PuffleClient({ apiKey: puffleKey('refused'), baseUrl: `${url}/api/v1`, hooks, retryBaseDelayMs: 1, retryMaxDelayMs: 2 });
  const err = await failure(client.signalTypes.create(newType('Nowhere')));
  expect(err).toBeInstanceOf(NetworkError);
  expect(err.message).toMatch(/connection failed/);
  expect(retries).toHaveLength(2);
});

test('timeout per call: TimeoutError; a GET is retried, a create is not', async () => {
  const client = puffle(emu, 'timeout', { maxRetries: 1 });
  await emu.plan({ next: [{ type: 'latency', ms: 400, count: 2, route: 'puffle.signalType.list' }] });
  const before = emu.log.length;
  const err = await failure(client.signalTypes.list({ timeout: 50 }));
  expect(err).toBeInstanceOf(TimeoutError);
  expect(err.timeoutMs).toBe(50);
  await emu.clearFaults();
  const { retries, hooks } = withRetries();
  const c2 = puffle(emu, 'timeout', { hooks });
  await emu.plan({ next: [{ type: 'latency', ms: 400, route: 'puffle.signalType.create' }] });
  expect(await failure(c2.signalTypes.create(newType('Slow'), { timeout: 50 }))).toBeInstanceOf(TimeoutError);
  expect(retries).toHaveLength(0);
  expect(emu.log.length).toBeGreaterThanOrEqual(before);
});

test('the caller\'s AbortSignal: AbortError, no retry; an aborted signal sends nothing', async () => {
  const fetchSpy = countingFetch();
  const client = puffle(emu, 'abort', { fetch: fetchSpy });
  await emu.plan({ next: [{ type: 'latency', ms: 500, route: 'puffle.signalType.list' }] });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('user left')), 30);
  const err = await failure(client.signalTypes.list({ signal: controller.signal }));
  expect(err).toBeInstanceOf(AbortError);
  expect(err.reason.message).toBe('user left');
  expect(fetchSpy.calls).toHaveLength(1);
  expect(await failure(client.signalTypes.list({ signal: controller.signal }))).toBeInstanceOf(AbortError);
  expect(fetchSpy.calls).toHaveLength(1);
  expect(await failure(client.signalTypes.create({}, { signal: controller.signal }))).toBeInstanceOf(AbortError);
  expect(await failure(client.signalTypes.create({}))).toBeInstanceOf(ValidationError);
});
