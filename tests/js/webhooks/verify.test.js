// verifyWebhook against deliveries signed by the Standard Webhooks reference library: what
// verifies, and each way a delivery is rejected, with its code.
import { createHmac } from 'node:crypto';
import {
  isKnownEvent, verifyWebhook, WebhookVerificationError,
} from '../../../js/webhooks/index.js';
import { SignalkitError } from '../../../js/errors.js';
import {
  envelope, everyRendering, NOW_MS, OTHER_SECRET, RESEARCH, SECRET, secretFor, secretForms, SIGNAL, signed, thrown,
} from './helpers.js';

const at = { now: NOW_MS };
const verify = (d, options = at, secret = SECRET) => verifyWebhook(d.body, d.headers, secret, options);
const failureOf = (fn) => {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(WebhookVerificationError);
  return err;
};

describe('signed deliveries verify', () => {
  const expected = {
    id: 'msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1',
    type: 'signal.detected',
    timestamp: '2026-01-15T11:59:31.000Z',
    data: SIGNAL,
  };

  test('the reference library signs exactly HMAC-SHA256(key, "id.timestamp.body"), base64, as v1', () => {
    // Holds the test's reference to the scheme Puffle documents, independently of both libraries.
    const d = signed();
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${d.headers['svix-id']}.${d.headers['svix-timestamp']}.${d.body}`).digest('base64');
    expect(d.headers['svix-signature']).toBe(`v1,${mac}`);
  });

  test.each([
    ['a string', (b) => b],
    ['a Buffer', (b) => Buffer.from(b)],
    ['a Uint8Array', (b) => new Uint8Array(Buffer.from(b))],
    ['an ArrayBuffer', (b) => new Uint8Array(Buffer.from(b)).buffer],
    ['a Uint8Array view into a larger buffer', (b) => {
      const bytes = Buffer.from(`xx${b}yy`);
      return new Uint8Array(bytes.buffer, bytes.byteOffset + 2, bytes.length - 4);
    }],
  ])('body as %s', (_, wrap) => {
    const d = signed();
    expect(verifyWebhook(wrap(d.body), d.headers, SECRET, at)).toEqual(expected);
  });

  test.each([
    ['Node IncomingHttpHeaders (lower-case)', (h) => ({ ...h, host: 'example.test', 'content-type': 'application/json' })],
    ['a plain object with mixed-case names', (h) => ({ 'Svix-Id': h['svix-id'], 'SVIX-TIMESTAMP': h['svix-timestamp'], 'Svix-Signature': h['svix-signature'] })],
    ['Fetch-API Headers', (h) => new Headers(h)],
    ['a Map', (h) => new Map(Object.entries(h))],
    ['the unbranded Standard Webhooks names', (h) => ({
      'webhook-id': h['svix-id'], 'webhook-timestamp': h['svix-timestamp'], 'webhook-signature': h['svix-signature'],
    })],
    ['signatures split over a repeated header (array value)', (h) => ({
      ...h, 'svix-signature': ['v1,bm90IHRoaXMgb25l', h['svix-signature']],
    })],
  ])('headers as %s', (_, shape) => {
    const d = signed();
    expect(verifyWebhook(d.body, shape(d.headers), SECRET, at)).toEqual(expected);
  });

  test('each documented event type comes back typed as known; other types pass through', () => {
    const cases = [
      ['signal.detected', SIGNAL, true],
      ['research.complete', RESEARCH, true],
      ['research.failed', { id: RESEARCH.id, reason: 'no public profile', anything: [1, 2] }, true],
      ['research.started', { id: RESEARCH.id }, false],
    ];
    for (const [type, data, known] of cases) {
      const event = verify(signed({ body: envelope(type, data) }));
      expect(event).toEqual({ id: 'msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1', type, timestamp: '2026-01-15T11:59:31.000Z', data });
      expect(isKnownEvent(event)).toBe(known);
    }
  });

  test('key rotation: a header with two signatures verifies with either secret, not with a third', () => {
    const d = signed({ secrets: [OTHER_SECRET, SECRET] });
    expect(d.headers['svix-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(verify(d, at, SECRET).type).toBe('signal.detected');
    expect(verify(d, at, OTHER_SECRET).type).toBe('signal.detected');
    expect(failureOf(() => verify(d, at, secretFor('c'))).code).toBe('bad_signature');
  });

  test('signature versions other than v1 are skipped, not failed', () => {
    const d = signed();
    d.headers['svix-signature'] = `v2,c29tZXRoaW5nIG5ldw== ${d.headers['svix-signature']} v1a,eHg=`;
    expect(verify(d).id).toBe('msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1');
  });

  test('the tolerance is inclusive: exactly toleranceSec old or ahead verifies', () => {
    expect(verify(signed({ atMs: NOW_MS - 300_000 })).type).toBe('signal.detected');
    expect(verify(signed({ atMs: NOW_MS + 300_000 })).type).toBe('signal.detected');
    expect(verify(signed({ atMs: NOW_MS - 10_000 }), { now: new Date(NOW_MS), toleranceSec: 10 }).type).toBe('signal.detected');
  });

  test('without `now`, the real clock is used', () => {
    const d = signed({ atMs: Date.now() });
    expect(verifyWebhook(d.body, d.headers, SECRET).id).toBe('msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1');
    const old = signed({ atMs: Date.now() - 400_000 });
    expect(failureOf(() => verifyWebhook(old.body, old.headers, SECRET)).code).toBe('stale_timestamp');
  });
});

describe('each bad delivery is rejected with its code', () => {
  const tamper = (change) => {
    const d = signed();
    change(d);
    return d;
  };
  test.each([
    ['a tampered body (one character)', tamper((d) => { d.body = d.body.replace('86', '96'); })],
    ['a re-serialised body (whitespace changed)', tamper((d) => { d.body = JSON.stringify(JSON.parse(d.body), null, 2); })],
    ['a tampered svix-id', tamper((d) => { d.headers['svix-id'] = 'msg_other'; })],
    ['a tampered svix-timestamp (still within tolerance)', tamper((d) => { d.headers['svix-timestamp'] = String(NOW_MS / 1000 - 1); })],
    ['a truncated signature', tamper((d) => { d.headers['svix-signature'] = d.headers['svix-signature'].slice(0, -4); })],
    ['a signature by another secret', signed({ secrets: [OTHER_SECRET] })],
  ])('%s → bad_signature (401)', (_, d) => {
    const err = failureOf(() => verify(d));
    expect(err).toMatchObject({ code: 'bad_signature', status: 401, name: 'WebhookVerificationError' });
    expect(err.message).toMatch(/^No signature in the svix-signature header matches this body and secret/);
  });

  test('the wrong secret → bad_signature', () => {
    expect(failureOf(() => verify(signed(), at, OTHER_SECRET)).code).toBe('bad_signature');
  });

  test.each([
    ['"abc"', 'abc'], ['"1.5"', '1.5'], ['"-5"', '-5'], ['" 1768478400"', ' 1768478400'], ['16 digits', '1768478400000000'],
  ])('a malformed svix-timestamp (%s) → bad_signature', (_, value) => {
    const d = signed();
    d.headers['svix-timestamp'] = value;
    const err = failureOf(() => verify(d));
    expect(err.code).toBe('bad_signature');
    expect(err.message).toBe(`The svix-timestamp header must be whole seconds since the Unix epoch; got ${JSON.stringify(value)}.`);
  });

  test('a signature header with no v1 entry → bad_signature, naming the expected form', () => {
    const d = signed();
    d.headers['svix-signature'] = 'v2,abc';
    expect(failureOf(() => verify(d)).message)
      .toBe('The svix-signature header holds no v1 signature (expected "v1,<base64>", several separated by spaces); got "v2,abc".');
  });

  test('stale: signed 301 s ago → stale_timestamp, with the age and tolerance', () => {
    const err = failureOf(() => verify(signed({ atMs: NOW_MS - 301_000 })));
    expect(err).toMatchObject({ code: 'stale_timestamp', status: 401 });
    expect(err.message).toBe('The delivery was signed 301 s ago, more than the 300 s tolerance: a replayed or long-delayed ' +
      'request (Puffle signs every retry afresh).');
  });

  test('future: signed 301 s ahead → stale_timestamp, pointing at the clock', () => {
    const err = failureOf(() => verify(signed({ atMs: NOW_MS + 301_000 })));
    expect(err.code).toBe('stale_timestamp');
    expect(err.message).toBe("The delivery is signed 301 s in the future, more than the 300 s tolerance: check this server's clock.");
  });

  test('a custom toleranceSec applies both ways; 0 allows only the same second', () => {
    for (const offset of [-11_000, 11_000]) {
      expect(failureOf(() => verify(signed({ atMs: NOW_MS + offset }), { now: NOW_MS, toleranceSec: 10 })).code).toBe('stale_timestamp');
    }
    expect(verify(signed({ atMs: NOW_MS }), { now: NOW_MS + 999, toleranceSec: 0 }).type).toBe('signal.detected');
    expect(failureOf(() => verify(signed({ atMs: NOW_MS }), { now: NOW_MS + 1000, toleranceSec: 0 })).code).toBe('stale_timestamp');
  });

  test('a captured delivery replayed after the tolerance → stale_timestamp (dedupe covers replays within it)', () => {
    const captured = signed({ atMs: NOW_MS });
    expect(verify(captured, { now: NOW_MS + 60_000 }).id).toBe('msg_2b8Hs0Y1fQ9vQ3r2mZcJjxPqLw1');
    expect(failureOf(() => verify(captured, { now: NOW_MS + 301_000 })).code).toBe('stale_timestamp');
  });

  test.each(['svix-id', 'svix-timestamp', 'svix-signature'])('missing %s → missing_header (400), naming it', (name) => {
    for (const value of [undefined, '']) {
      const d = signed();
      if (value === undefined) delete d.headers[name];
      else d.headers[name] = value;
      const err = failureOf(() => verify(d));
      expect(err).toMatchObject({ code: 'missing_header', status: 400 });
      expect(err.message).toBe(`The ${name} header is missing. A Puffle (Svix) delivery carries svix-id, svix-timestamp and ` +
        'svix-signature; if a proxy sits in front of this server, make sure it forwards them.');
      expect(failureOf(() => verifyWebhook(d.body, new Headers(d.headers), SECRET, at)).code).toBe('missing_header');
    }
  });

  test.each([
    ['not JSON', 'hello', /^The delivery msg_\w+ is correctly signed, but its body is not JSON \(/],
    ['empty', '', /but its body is not JSON/],
    ['a JSON array', '[1,2]', /but its body is an array, not the JSON object \{type, timestamp, data\}\.$/],
    ['JSON null', 'null', /but its body is null, not the JSON object/],
    ['without type', JSON.stringify({ timestamp: 't', data: {} }), /its "type" is undefined, not an event type such as signal\.detected\.$/],
    ['with an empty type', JSON.stringify({ type: '', timestamp: 't', data: {} }), /its "type" is a 0-character string/],
    ['with a numeric timestamp', JSON.stringify({ type: 'x', timestamp: 5, data: {} }), /its "timestamp" is a number, not a string\.$/],
    ['with data null', JSON.stringify({ type: 'x', timestamp: 't', data: null }), /its "data" is null, not an object\.$/],
    ['with data an array', JSON.stringify({ type: 'x', timestamp: 't', data: [] }), /its "data" is an array, not an object\.$/],
  ])('a signed body that is %s → invalid_payload (400)', (_, body, message) => {
    const err = failureOf(() => verify(signed({ body })));
    expect(err).toMatchObject({ code: 'invalid_payload', status: 400 });
    expect(err.message).toMatch(message);
  });

  test('invalid UTF-8: unsigned → bad_signature; signed (over the decoded text) → invalid_payload', () => {
    const bytes = Buffer.concat([Buffer.from('{"type":"x","data":{},"timestamp":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const d = signed({ body: bytes.toString() }); // signs the U+FFFD text, as a sender decoding leniently would
    expect(failureOf(() => verifyWebhook(bytes, signed({ body: '{}' }).headers, SECRET, at)).code).toBe('bad_signature');
    const err = failureOf(() => verifyWebhook(bytes, d.headers, SECRET, at));
    expect(err.code).toBe('invalid_payload');
    expect(err.message).toMatch(/its body is not valid UTF-8\.$/);
  });

  test('a byte-order mark is part of the signed bytes (kept, not stripped)', () => {
    const body = `\uFEFF${envelope()}`;
    const d = signed({ body });
    // Verified over the exact bytes, BOM included; the BOM then makes it invalid JSON.
    expect(failureOf(() => verifyWebhook(Buffer.from(body), d.headers, SECRET, at)).code).toBe('invalid_payload');
    const unsignedBom = signed();
    expect(failureOf(() => verifyWebhook(Buffer.from(`\uFEFF${unsignedBom.body}`), unsignedBom.headers, SECRET, at)).code).toBe('bad_signature');
  });

  test('WebhookVerificationError is a SignalkitError', () => {
    expect(failureOf(() => verify(signed({ secrets: [OTHER_SECRET] })))).toBeInstanceOf(SignalkitError);
  });
});

describe('secrets', () => {
  test.each([
    ['undefined', undefined, "got undefined"],
    ['a number', 42, 'got a number'],
    ['an API key', 'pk_live_0123456789abcdef0123', 'must start with whsec_ (got a 28-character string that does not; an API key is not a webhook secret'],
    ['the bare prefix', 'whsec_', 'is empty after whsec_'],
    ['bad base64', 'whsec_not*base64!', 'the part after whsec_ must be base64'],
    ['bad base64 padding', 'whsec_abc', 'the part after whsec_ must be base64'],
  ])('%s → bad_secret (500), never echoing it', async (_, secret, message) => {
    const d = signed();
    const err = failureOf(() => verifyWebhook(d.body, d.headers, secret, at));
    expect(err).toMatchObject({ code: 'bad_secret', status: 500 });
    expect(err.message).toContain(message);
    if (typeof secret === 'string' && secret.length > 'whsec_'.length) {
      const shown = await everyRendering(err);
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(secret.slice('whsec_'.length));
    }
  });

  test('the secret appears in no error message, stack, inspect or JSON output', async () => {
    const failures = [
      () => verify({ ...signed(), body: '{"tampered":1}' }),
      () => verify(signed({ atMs: NOW_MS - 1e6 })),
      () => verify(signed({ body: 'not json' })),
      () => verifyWebhook('x', {}, SECRET, at),
      () => verifyWebhook({}, {}, SECRET, at),
      () => verifyWebhook('x', {}, SECRET, { toleranceSecs: 1 }),
    ];
    const rendered = [];
    for (const f of failures) rendered.push(await everyRendering(thrown(f)));
    rendered.push(await everyRendering(verify(signed())));
    const all = rendered.join('\n');
    for (const form of secretForms(SECRET)) expect(all).not.toContain(form);
    expect(all).toContain('bad_signature'); // the renderings are real
  });
});

describe('programming errors are TypeErrors with a way out', () => {
  test('a parsed body is refused, explaining raw bodies', () => {
    const d = signed();
    const err = thrown(() => verifyWebhook(JSON.parse(d.body), d.headers, SECRET, at));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('verifyWebhook: rawBody must be the request body exactly as received (a string, Buffer, Uint8Array ' +
      'or ArrayBuffer); got an object (Object). Was it already parsed as JSON? The signature covers the exact bytes, so read ' +
      "the raw body (Express: express.raw({ type: 'application/json' })).");
    expect(thrown(() => verifyWebhook(undefined, d.headers, SECRET, at)).message).toMatch(/got undefined\.$/);
  });

  test.each([
    [null, /headers must be the request's headers .*; got null\./],
    ['svix-id: x', /got a 10-character string\./],
  ])('headers %p → TypeError', (headers, message) => {
    expect(() => verifyWebhook('{}', headers, SECRET)).toThrow(message);
  });

  test.each([
    [{ tolerance: 10 }, 'verifyWebhook: unknown option "tolerance"; did you mean "toleranceSec"? Options: toleranceSec, now.'],
    [{ Now: 1 }, 'verifyWebhook: unknown option "Now"; did you mean "now"? Options: toleranceSec, now.'],
    [{ secret: 'x' }, 'verifyWebhook: unknown option "secret". Options: toleranceSec, now.'],
    [{ toleranceSec: -1 }, 'verifyWebhook: toleranceSec must be a finite number of seconds ≥ 0 (default 300); got -1.'],
    [{ toleranceSec: Infinity }, /toleranceSec must be a finite number .* got Infinity\./],
    [{ toleranceSec: '300' }, /toleranceSec must be a finite number .* got 300\./],
    [{ now: new Date('nope') }, 'verifyWebhook: now must be a valid Date or a number of milliseconds since the epoch; got an object (Date).'],
    [{ now: '2026-01-15' }, /now must be a valid Date .* got a 10-character string\./],
    ['fast', 'verifyWebhook: options must be an object; got a 4-character string.'],
  ])('options %p → TypeError', (options, message) => {
    const d = signed();
    const err = thrown(() => verifyWebhook(d.body, d.headers, SECRET, options));
    expect(err).toBeInstanceOf(TypeError);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });
});
