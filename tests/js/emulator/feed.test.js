// The Puffle signal feed: the documented page and signal shapes, filters, sort, grouping,
// cursor pages, dismiss and feedback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFeed, GROUP_SIGNALS, queryFeed } from '../../../js/emulator/feed.js';
import { readState } from '../../../js/emulator/store.js';
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
    out.push(...(res.body.signals ?? res.body.entities));
    if (!res.body.pagination.has_more) { expect(res.body.pagination.cursor).toBeNull(); return out; }
    cursor = res.body.pagination.cursor;
  }
  throw new Error('too many pages');
}

test('signals have exactly the documented fields; paging is nested under pagination', async () => {
  const res = await api.get(FEED, { query: { limit: '5' } });
  expect(res.status).toBe(200);
  expect(Object.keys(res.body).sort()).toEqual(['pagination', 'signals']);
  expect(Object.keys(res.body.pagination).sort()).toEqual(['count', 'cursor', 'has_more']);
  expect(res.body.pagination).toMatchObject({ count: 5, has_more: true, cursor: expect.any(String) });
  for (const s of res.body.signals) {
    expect(Object.keys(s).sort()).toEqual(['classification', 'confidence', 'created_at', 'entity', 'id', 'person_entity',
      'reasoning', 'score', 'signal_type', 'source', 'source_url', 'text', 'title'].sort());
    expect(Object.keys(s.entity).sort()).toEqual(['domain', 'id', 'name', 'type']);
    expect(s.entity.type).toBe('company');
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(100);
    expect(s.confidence).toBeGreaterThanOrEqual(0);
    expect(s.confidence).toBeLessThanOrEqual(1);
    expect(new Date(s.created_at).toISOString()).toBe(s.created_at);
    expect(s.source_url).toMatch(/^https:\/\//);
    expect(typeof s.classification).toBe('object');
    expect(s.person_entity === null || typeof s.person_entity.name === 'string').toBe(true);
  }
  // Newest first by default.
  const times = res.body.signals.map((s) => s.created_at);
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
    expect(pa.signals.every((s) => s.created_at < '2026-03-01T00:00:00.000Z' && s.created_at > '2026-01-30')).toBe(true);
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
    cursor = res.body.pagination.cursor;
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
  const p2 = (await c.get(FEED, { query: { limit: '10', cursor: p1.pagination.cursor } })).body;
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

  const since = everything[40].created_at;
  const until = everything[10].created_at;
  const window = await all(api, { since, until });
  expect(window.map((s) => s.id)).toEqual(everything.filter((s) => s.created_at >= since && s.created_at <= until).map((s) => s.id));
});

test('sort=score orders by score, highest first', async () => {
  const scored = await all(api, { sort: 'score' });
  const scores = scored.map((s) => s.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  expect(new Set(scored.map((s) => s.id)).size).toBe(scored.length);
});

test('group_by=entity: one {entity, signals, signal_count} per entity, its signals ranked by score', async () => {
  const everything = await all(api);
  const groups = await all(api, { group_by: 'entity' });
  const entities = new Set(everything.map((s) => s.entity.id));
  expect(groups.length).toBe(entities.size);
  for (const g of groups) {
    expect(Object.keys(g).sort()).toEqual(['entity', 'signal_count', 'signals']);
    const own = everything.filter((s) => s.entity.id === g.entity.id);
    expect(g.entity).toEqual(own[0].entity);
    expect(g.signal_count).toBe(own.length);
    const byScore = [...own].sort((a, b) => b.score - a.score || (a.created_at < b.created_at ? 1 : -1));
    expect(g.signals.map((s) => s.id)).toEqual(byScore.slice(0, 25).map((s) => s.id));
  }
  // Entities come in the order of their newest signal; cursor pages continue that order.
  const heads = [...new Map(everything.map((s) => [s.entity.id, s])).keys()];
  expect(groups.map((g) => g.entity.id)).toEqual(heads);
  const page = (await api.get(FEED, { query: { group_by: 'entity', limit: '5' } })).body;
  expect(Object.keys(page).sort()).toEqual(['entities', 'pagination']);
  expect(page.pagination.count).toBe(5);
  const next = (await api.get(FEED, { query: { group_by: 'entity', limit: '5', cursor: page.pagination.cursor } })).body;
  expect(next.entities.map((g) => g.entity.id)).toEqual(heads.slice(5, 10));
});

test('an entity group carries at most its top 25 signals, and counts them all', () => {
  // 2,000 signals over the 24 seeded companies: every entity has more than 25.
  const feed = buildFeed('cap', ['hiring'], Date.parse('2026-03-01T00:00:00Z'), 2000);
  const { entities } = queryFeed(feed, { group_by: 'entity', limit: 100 }, new Set());
  const big = entities.filter((g) => g.signal_count > GROUP_SIGNALS);
  expect(big.length).toBeGreaterThan(0);
  for (const g of entities) {
    expect(g.signals.length).toBe(Math.min(g.signal_count, GROUP_SIGNALS));
    const scores = g.signals.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const best = feed.signals.filter((s) => s.entity.id === g.entity.id).map((s) => s.score).sort((a, b) => b - a);
    expect(scores).toEqual(best.slice(0, GROUP_SIGNALS));
  }
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

  const scoreCursor = (await api.get(FEED, { query: { sort: 'score', limit: '2' } })).body.pagination.cursor;
  for (const cursor of ['garbage', scoreCursor]) {
    const res = await api.get(FEED, { query: { cursor, limit: '2' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
  }
});

test('dismiss is idempotent and hides the signal; feedback overwrites; unknown ids 404', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sk-feed-'));
  const dataFile = path.join(dir, 'state.json');
  const e = await start({ dataFile });
  try {
    const c = client(e, puffleKey('feed-actions'));
    const [first, second] = (await c.get(FEED, { query: { limit: '2' } })).body.signals;
    expect((await c.post(`${FEED}/${first.id}/dismiss`)).status).toBe(200);
    expect((await c.post(`${FEED}/${first.id}/dismiss`)).body).toEqual({ success: true });
    expect((await all(c)).map((s) => s.id)).not.toContain(first.id);

    // Feedback is not part of the documented signal; the stored state shows each call overwrites the last.
    const stored = () => readState(dataFile).puffle[0][1].feedback;
    expect((await c.post(`${FEED}/${second.id}/feedback`, { feedback: 'positive' })).body).toEqual({ success: true });
    expect(stored()).toEqual([[second.id, 'positive']]);
    expect((await c.post(`${FEED}/${second.id}/feedback`, { feedback: 'negative' })).status).toBe(200);
    expect(stored()).toEqual([[second.id, 'negative']]);

    for (const body of [{ feedback: 'meh' }, { feedback: 'positive', note: 'x' }, {}]) {
      expect((await c.post(`${FEED}/${second.id}/feedback`, body)).status).toBe(400);
    }
    const unknown = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
    expect((await c.post(`${FEED}/${unknown}/dismiss`)).status).toBe(404);
    expect((await c.post(`${FEED}/${unknown}/feedback`, { feedback: 'positive' })).status).toBe(404);
    expect((await c.post(`${FEED}/nope/dismiss`)).status).toBe(400);

    // Another key cannot dismiss or rate this key's signals (its feed has other ids).
    const intruder = client(e, puffleKey('feed-intruder'));
    expect((await intruder.post(`${FEED}/${second.id}/feedback`, { feedback: 'positive' })).status).toBe(404);
    expect(stored()).toEqual([[second.id, 'negative']]);
  } finally {
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source id outside the request enum may appear in the feed', async () => {
  const sources = new Set((await all(api)).map((s) => s.source));
  expect(sources.has('podcasts')).toBe(true);
});
