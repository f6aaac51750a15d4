// The Puffle signal feed: filters, sort, grouping, cursor pages, dismiss and feedback.
import { client, puffleKey, start } from './helpers.js';

const FEED = '/api/v1/signals';
let emu;
let api;
beforeAll(async () => {
  emu = await start();
  api = client(emu, puffleKey('feed'));
});
afterAll(() => emu.close());

async function all(c, query = {}) {
  const out = [];
  let cursor;
  for (let i = 0; i < 100; i++) {
    const res = await c.get(FEED, { query: { ...query, limit: '100', ...(cursor ? { cursor } : {}) } });
    expect(res.status).toBe(200);
    out.push(...res.body.signals);
    if (!res.body.has_more) { expect(res.body.cursor).toBeNull(); return out; }
    cursor = res.body.cursor;
  }
  throw new Error('too many pages');
}

test('signals have the documented shape; the page carries cursor, has_more and count', async () => {
  const res = await api.get(FEED, { query: { limit: '5' } });
  expect(res.status).toBe(200);
  expect(Object.keys(res.body).sort()).toEqual(['count', 'cursor', 'has_more', 'signals']);
  expect(res.body.count).toBe(5);
  expect(res.body.has_more).toBe(true);
  expect(typeof res.body.cursor).toBe('string');
  for (const s of res.body.signals) {
    expect(Object.keys(s).sort()).toEqual(['detected_at', 'dismissed', 'entity', 'feedback', 'id', 'score', 'signal_type',
      'snippet', 'source', 'title', 'url'].sort());
    expect(Object.keys(s.entity).sort()).toEqual(['domain', 'id', 'name']);
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(100);
    expect(new Date(s.detected_at).toISOString()).toBe(s.detected_at);
    expect(s.url).toMatch(/^https:\/\//);
  }
  // Newest first by default.
  const times = res.body.signals.map((s) => s.detected_at);
  expect([...times].sort().reverse()).toEqual(times);
});

test('the feed is deterministic per seed and key, and differs between keys', async () => {
  const again = await start();
  try {
    const a = (await api.get(FEED, { query: { limit: '20' } })).body.signals.map((s) => s.id);
    const b = (await client(again, puffleKey('feed')).get(FEED, { query: { limit: '20' } })).body.signals.map((s) => s.id);
    expect(b).toEqual(a);
    const other = (await client(emu, puffleKey('feed-other')).get(FEED, { query: { limit: '20' } })).body.signals.map((s) => s.id);
    expect(other).not.toEqual(a);
  } finally {
    await again.close();
  }
});

test('seed and feedAnchor fix the feed completely', async () => {
  const a = await start({ seed: 42, feedAnchor: '2026-03-01T00:00:00Z' });
  const b = await start({ seed: 42, feedAnchor: new Date('2026-03-01T00:00:00Z') });
  try {
    const pa = (await client(a, puffleKey('anchored')).get(FEED, { query: { limit: '100' } })).body;
    const pb = (await client(b, puffleKey('anchored')).get(FEED, { query: { limit: '100' } })).body;
    expect(pb).toEqual(pa);
    expect(pa.signals.every((s) => s.detected_at < '2026-03-01T00:00:00.000Z' && s.detected_at > '2026-01-30')).toBe(true);
  } finally {
    await a.close();
    await b.close();
  }
  await expect(start({ feedAnchor: 'soon' })).rejects.toThrow(/feedAnchor/);
});

test('cursor pages cover the whole feed exactly once', async () => {
  const everything = await all(api);
  expect(everything.length).toBeGreaterThan(100);
  expect(new Set(everything.map((s) => s.id)).size).toBe(everything.length);
  const small = [];
  let cursor;
  do {
    const res = await api.get(FEED, { query: { limit: '37', ...(cursor ? { cursor } : {}) } });
    small.push(...res.body.signals);
    cursor = res.body.cursor;
  } while (cursor);
  expect(small.map((s) => s.id)).toEqual(everything.map((s) => s.id));
});

test('pages stay stable when signals are dismissed between reads', async () => {
  const c = client(emu, puffleKey('feed-dismiss'));
  const before = await all(c);
  const p1 = (await c.get(FEED, { query: { limit: '10' } })).body;
  // Dismiss the last item of page 1 and the first two of what would be page 2.
  for (const s of [p1.signals[9], before[10], before[11]]) {
    expect((await c.post(`${FEED}/${s.id}/dismiss`)).body).toEqual({ success: true });
  }
  const p2 = (await c.get(FEED, { query: { limit: '10', cursor: p1.cursor } })).body;
  expect(p2.signals.map((s) => s.id)).toEqual(before.slice(12, 22).map((s) => s.id));
});

test('filters: signal_type, source, entity_id, since/until', async () => {
  const everything = await all(api);
  const hiring = await all(api, { signal_type: 'hiring' });
  expect(hiring.length).toBe(everything.filter((s) => s.signal_type === 'hiring').length);
  expect(hiring.length).toBeGreaterThan(0);
  const two = await all(api, { signal_type: 'hiring,funding' });
  expect(two.every((s) => ['hiring', 'funding'].includes(s.signal_type))).toBe(true);
  expect(two.length).toBe(everything.filter((s) => ['hiring', 'funding'].includes(s.signal_type)).length);

  const news = await all(api, { source: 'news,reddit' });
  expect(news.length).toBe(everything.filter((s) => ['news', 'reddit'].includes(s.source)).length);

  const entity = everything[0].entity.id;
  const byEntity = await all(api, { entity_id: entity });
  expect(byEntity.length).toBe(everything.filter((s) => s.entity.id === entity).length);

  const since = everything[40].detected_at;
  const until = everything[10].detected_at;
  const window = await all(api, { since, until });
  expect(window.map((s) => s.id)).toEqual(everything.filter((s) => s.detected_at >= since && s.detected_at <= until).map((s) => s.id));
});

test('sort=score orders by score, highest first', async () => {
  const scored = await all(api, { sort: 'score' });
  const scores = scored.map((s) => s.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  expect(new Set(scored.map((s) => s.id)).size).toBe(scored.length);
});

test('group_by=entity returns one signal per entity with its count', async () => {
  const everything = await all(api);
  const groups = await all(api, { group_by: 'entity' });
  const entities = new Set(everything.map((s) => s.entity.id));
  expect(groups.length).toBe(entities.size);
  for (const g of groups) {
    expect(g.entity_signal_count).toBe(everything.filter((s) => s.entity.id === g.entity.id).length);
  }
  const page = (await api.get(FEED, { query: { group_by: 'entity', limit: '5' } })).body;
  expect(page.count).toBe(5);
  const next = (await api.get(FEED, { query: { group_by: 'entity', limit: '5', cursor: page.cursor } })).body;
  expect(next.signals.map((s) => s.entity.id)).toEqual(groups.slice(5, 10).map((s) => s.entity.id));
});

test('bad queries are 400 from the engine; a foreign cursor is 400 invalid_cursor', async () => {
  for (const [query, field] of [[{ limit: '0' }, 'limit'], [{ limit: 'many' }, 'limit'], [{ sort: 'date' }, 'sort'],
    [{ source: 'news,fax' }, 'source'], [{ since: 'yesterday' }, 'since'], [{ entity_id: 'x' }, 'entity_id'], [{ colour: 'red' }, 'colour']]) {
    const res = await api.get(FEED, { query });
    expect([JSON.stringify(query), res.status]).toEqual([JSON.stringify(query), 400]);
    expect(res.body.error.fields.map((f) => f.field.replace(/\[.*$/, ''))).toContain(field);
  }
  const range = await api.get(FEED, { query: { since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' } });
  expect(range.status).toBe(400);
  expect(range.body.error.fields.map((f) => f.code)).toContain('invalid_range');

  const scoreCursor = (await api.get(FEED, { query: { sort: 'score', limit: '2' } })).body.cursor;
  for (const cursor of ['garbage', scoreCursor]) {
    const res = await api.get(FEED, { query: { cursor, limit: '2' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
  }
});

test('dismiss is idempotent and hides the signal; feedback overwrites; unknown ids 404', async () => {
  const c = client(emu, puffleKey('feed-actions'));
  const [first, second] = (await c.get(FEED, { query: { limit: '2' } })).body.signals;
  expect((await c.post(`${FEED}/${first.id}/dismiss`)).status).toBe(200);
  expect((await c.post(`${FEED}/${first.id}/dismiss`)).body).toEqual({ success: true });
  expect((await all(c)).map((s) => s.id)).not.toContain(first.id);

  expect((await c.post(`${FEED}/${second.id}/feedback`, { feedback: 'positive' })).body).toEqual({ success: true });
  expect((await all(c)).find((s) => s.id === second.id).feedback).toBe('positive');
  expect((await c.post(`${FEED}/${second.id}/feedback`, { feedback: 'negative' })).status).toBe(200);
  expect((await all(c)).find((s) => s.id === second.id).feedback).toBe('negative');

  for (const body of [{ feedback: 'meh' }, { feedback: 'positive', note: 'x' }, {}]) {
    expect((await c.post(`${FEED}/${second.id}/feedback`, body)).status).toBe(400);
  }
  const unknown = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
  expect((await c.post(`${FEED}/${unknown}/dismiss`)).status).toBe(404);
  expect((await c.post(`${FEED}/${unknown}/feedback`, { feedback: 'positive' })).status).toBe(404);
  expect((await c.post(`${FEED}/nope/dismiss`)).status).toBe(400);

  // Another key cannot dismiss or rate this key's signals (its feed has other ids).
  const intruder = client(emu, puffleKey('feed-intruder'));
  expect((await intruder.post(`${FEED}/${second.id}/feedback`, { feedback: 'positive' })).status).toBe(404);
  expect((await all(c)).find((s) => s.id === second.id).feedback).toBe('negative');
});

test('a source id outside the request enum may appear in the feed', async () => {
  const sources = new Set((await all(api)).map((s) => s.source));
  expect(sources.has('podcasts')).toBe(true);
});
