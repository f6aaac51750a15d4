// What the matrix asks of signalkit/proxy in each runtime (tests/runtimes/matrix.test.mjs):
// an invalid body answered 400 with the engine's issues, a valid one forwarded (201), a
// foreign origin refused (403), the rate-limited list read (200), and the key in no answer.
// `call(path, init)` sends one request to the proxy as a page would; `runtime` names the
// type created (one emulator serves every runtime's checks, and names are unique per key).
export const PROXY_EXPECTED = {
  invalid: [400, 'validation_failed', ['name:too_short', 'keywords:too_few', 'search_instructions:required', 'scoring_criteria:required', 'sources:required']],
  created: [201, true],
  foreignOrigin: 403,
  list: 200,
  keyInAnswers: false,
};

const TYPES = '/signalkit/puffle/api/v1/signals/types';
const ORIGIN = 'https://www.example.com';

export async function proxyChecks(call, key, runtime) {
  const answers = [];
  const send = async (path, init = {}) => {
    const res = await call(path, { ...init, headers: { origin: ORIGIN, ...init.headers } });
    const text = await res.text();
    answers.push(text, JSON.stringify([...res.headers]));
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const post = (body) => send(TYPES, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const invalid = await post({ name: '', keywords: [] });
  const name = `Proxy under ${runtime}`;
  const created = await post({ name, keywords: ['runtime proxy'], sources: ['news'],
    search_instructions: 'Companies running a proxy.', scoring_criteria: 'A proxy.' });
  const foreign = await send(TYPES, { headers: { origin: 'https://evil.example' } });
  const list = await send(TYPES);
  return {
    invalid: [invalid.status, invalid.body?.error?.code, (invalid.body?.error?.fields ?? []).map((i) => `${i.field}:${i.code}`)],
    created: [created.status, created.body?.label === name],
    foreignOrigin: foreign.status,
    list: list.status,
    keyInAnswers: answers.some((a) => a.includes(key)),
  };
}
