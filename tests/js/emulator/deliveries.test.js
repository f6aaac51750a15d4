// js/emulator/deliveries.js against real receivers on loopback: what is sent, what counts as
// delivered, the retry schedule, timeouts, the bounded log, cancelling.
import http from 'node:http';
import { Deliveries } from '../../../js/emulator/deliveries.js';

/**
 * A receiver on loopback. `answer(req, body, n)` (n = 1 for the first request) answers with
 * `res`, or returns nothing to leave the request hanging. Records every request.
 */
async function receiver(answer) {
  const requests = [];
  const hanging = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const status = answer(requests.length, body);
      if (status === undefined) { hanging.add(res); return; }
      res.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {});
      res.end(`answer ${requests.length}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

const open = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});
function track(x) {
  open.push(x);
  return x;
}
const deliveries = (options) => track(new Deliveries({ schedule: [0, 5_000, 300_000], scale: 0.001, ...options }));

test('one POST of the body as given, application/json by default; a 2xx is delivered', async () => {
  const r = track(await receiver(() => 204));
  const d = deliveries();
  const id = d.send({ url: `${r.url}?token=abc`, body: '{"hello":"world"}', label: 'greeting', headers: { 'x-extra': '1' } });
  const record = await d.settled(id);
  expect(record).toMatchObject({ id, label: 'greeting', status: 'delivered', nextAttemptAt: null });
  expect(record.attempts).toEqual([{ n: 1, at: expect.any(String), status: 204, error: null, durationMs: expect.any(Number), response: '' }]);
  expect(r.requests).toHaveLength(1);
  expect(r.requests[0]).toMatchObject({ method: 'POST', url: '/hooks?token=abc', body: '{"hello":"world"}' });
  expect(r.requests[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-extra': '1' });
  expect(d.list()).toEqual([record]);
  expect(d.get(id)).toEqual(record);
  expect(await d.settled(id)).toEqual(record); // settled again: at once
});

test('any other answer is retried with the same id and body, headers made afresh per attempt', async () => {
  const statuses = [500, 409, 302, 200];
  const r = track(await receiver((n) => statuses[n - 1]));
  const d = deliveries({ schedule: [0, 1, 1, 1, 1] });
  const calls = [];
  const id = d.send({
    url: r.url, body: 'same body', id: 'msg_fixed',
    headers: ({ id: given, n, date }) => { calls.push({ given, n, date }); return { 'x-attempt': String(n), 'x-id': given }; },
  });
  const record = await d.settled(id);
  expect(record.status).toBe('delivered');
  expect(record.attempts.map((a) => a.status)).toEqual(statuses);
  expect(record.attempts.map((a) => a.response)).toEqual(['answer 1', 'answer 2', 'answer 3', 'answer 4']);
  expect(r.requests).toHaveLength(4); // the 302 was not followed
  expect(r.requests.map((q) => q.headers['x-id'])).toEqual(['msg_fixed', 'msg_fixed', 'msg_fixed', 'msg_fixed']);
  expect(r.requests.map((q) => q.headers['x-attempt'])).toEqual(['1', '2', '3', '4']);
  expect(r.requests.every((q) => q.body === 'same body')).toBe(true);
  expect(calls.map((c) => c.n)).toEqual([1, 2, 3, 4]);
  expect(calls.map((c) => c.date.toISOString())).toEqual(record.attempts.map((a) => a.at));
});

test('an attempt without an answer in timeoutMs is retried; the log says it timed out', async () => {
  const r = track(await receiver((n) => (n === 1 ? undefined : 200)));
  const d = deliveries({ timeoutMs: 200 });
  const record = await d.settled(d.send({ url: r.url, body: '{}' }));
  expect(record.status).toBe('delivered');
  expect(record.attempts.map(({ status, error }) => ({ status, error }))).toEqual([
    { status: null, error: 'timeout after 200 ms' }, { status: 200, error: null },
  ]);
});

test('after the last attempt of the schedule the delivery has failed; network errors are named', async () => {
  const r = await receiver(() => 200);
  const url = r.url;
  await r.close(); // nothing listens there any more
  const lines = [];
  const d = deliveries({ schedule: [0, 1, 1], log: (level, message) => lines.push([level, message]) });
  const record = await d.settled(d.send({ url, body: '{}', label: 'signal.detected' }));
  expect(record.status).toBe('failed');
  expect(record.attempts.map((a) => a.error)).toEqual(['network: ECONNREFUSED', 'network: ECONNREFUSED', 'network: ECONNREFUSED']);
  expect(lines.map(([level]) => level)).toEqual(['warn', 'warn', 'warn']);
  expect(lines[0][1]).toMatch(/^delivery [0-9a-f-]{36} \(signal\.detected\) to http:\/\/127\.0\.0\.1:\d+\/hooks: attempt 1\/3 failed \(network: ECONNREFUSED\); retrying in 0 ms$/);
  expect(lines[2][1]).toMatch(/attempt 3\/3 failed \(network: ECONNREFUSED\); giving up$/);
});

test('the log never shows header values or the query of a URL', async () => {
  const r = track(await receiver((n) => (n === 1 ? 500 : 200)));
  const lines = [];
  const d = deliveries({ schedule: [0, 1], log: (level, message) => lines.push(message) });
  const url = `${r.url}?token=t0ken#frag`;
  await d.settled(d.send({ url, body: '{}', headers: () => ({ authorization: 'Bearer s3cret-value' }) }));
  expect(r.requests[0].headers.authorization).toBe('Bearer s3cret-value');
  const text = lines.join('\n') + JSON.stringify(d.list().map(({ url: _u, ...rest }) => rest));
  for (const secret of ['s3cret-value', 't0ken', 'frag']) expect(text).not.toContain(secret);
  expect(lines).toHaveLength(2);
});

test('headers that throw fail that attempt, which is retried', async () => {
  const r = track(await receiver(() => 200));
  const d = deliveries({ schedule: [0, 1] });
  const record = await d.settled(d.send({
    url: r.url, body: '{}', headers: ({ n }) => { if (n === 1) throw new Error('no key yet'); return {}; },
  }));
  expect(record.attempts.map(({ status, error }) => ({ status, error }))).toEqual([
    { status: null, error: 'headers: no key yet' }, { status: 200, error: null },
  ]);
  expect(r.requests).toHaveLength(1);
});

test('cancel stops a pending delivery, also mid-attempt; close cancels the rest and refuses new ones', async () => {
  const r = track(await receiver(() => undefined)); // never answers
  const d = deliveries({ schedule: [0, 60_000], scale: 1, timeoutMs: 60_000 });
  const inFlight = d.send({ url: r.url, body: '{}' });
  const waiting = d.send({ url: r.url, body: '{}' });
  await new Promise((resolve) => { const check = () => (r.requests.length === 2 ? resolve() : setTimeout(check, 5)); check(); });
  const settled = d.settled(inFlight);
  expect(d.cancel(inFlight)).toBe(true);
  expect(d.cancel(inFlight)).toBe(false);
  expect(await settled).toMatchObject({ status: 'cancelled', attempts: [{ n: 1, status: null }] });
  await d.close();
  expect(d.get(waiting).status).toBe('cancelled');
  expect(() => d.send({ url: r.url, body: '{}' })).toThrow('Deliveries.send: closed');
  expect(await d.settled('unknown')).toBeNull();
});

test('the log is bounded: the oldest finished delivery goes first, else the oldest pending is cancelled', async () => {
  const r = track(await receiver(() => 200));
  const d = deliveries({ maxLog: 2 });
  const first = d.send({ url: r.url, body: '1' });
  await d.settled(first);
  const hang = track(await receiver(() => undefined));
  const slow = [d.send({ url: hang.url, body: '2' })];
  slow.push(d.send({ url: hang.url, body: '3' })); // full: the finished first one is forgotten
  expect(d.get(first)).toBeNull();
  const settled = d.settled(slow[0]);
  d.send({ url: hang.url, body: '4' }); // full of pending deliveries: the oldest is cancelled
  expect((await settled).status).toBe('cancelled');
  expect(d.list().map((x) => x.id)).toEqual([slow[1], expect.any(String)]);
});

test('bad options and deliveries are refused with a TypeError saying what is expected', () => {
  expect(() => new Deliveries()).toThrow('schedule must be a non-empty array');
  expect(() => new Deliveries({ schedule: [0, -1] })).toThrow('schedule must be a non-empty array');
  expect(() => new Deliveries({ schedule: [0], sclae: 1 })).toThrow('unknown option sclae');
  expect(() => new Deliveries({ schedule: [0], timeoutMs: 0 })).toThrow('timeoutMs must be a positive integer');
  expect(() => new Deliveries({ schedule: [0, 30 * 86_400_000] })).toThrow('at most 2147483647 ms');
  const d = deliveries();
  expect(() => d.send({ url: 'ftp://example.com/x', body: '' })).toThrow('url must be an absolute http: or https: URL');
  expect(() => d.send({ url: '/relative', body: '' })).toThrow('url must be an absolute http: or https: URL');
  expect(() => d.send({ url: 'http://user:pw@127.0.0.1:9/', body: '' })).toThrow('url must not hold credentials');
  expect(() => d.send({ url: 'http://127.0.0.1:9/', body: { a: 1 } })).toThrow('body must be a string or a Uint8Array');
  expect(() => d.send({ url: 'http://127.0.0.1:9/', body: '', headers: 'x' })).toThrow('headers must be an object or a function');
  expect(() => d.send({ url: 'http://127.0.0.1:9/', body: '', uri: 'x' })).toThrow('unknown field uri');
  d.send({ url: 'http://127.0.0.1:9/', body: '', id: 'dup' });
  expect(() => d.send({ url: 'http://127.0.0.1:9/', body: '', id: 'dup' })).toThrow('a delivery dup is already in the log');
});
