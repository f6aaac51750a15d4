// The vendor facts in js/vendors/ are the JS side's one copy; the request schemas the engine
// embeds and the OpenAPI documents are the others. These tests hold them together, and check
// that the client and the emulator take every fact from js/vendors/ (the same key formats,
// limits and paths).
import { readFileSync } from 'node:fs';
import { loadEngine, PuffleClient, SaberClient } from '../../../js/index.js';
import { DEFAULT_RATE_LIMITS, devKeys } from '../../../js/emulator/index.js';
import { maskKey } from '../../../js/vendors/index.js';
import {
  PUFFLE, PUFFLE_BASE_PATHS, PUFFLE_ERROR_CODES, PUFFLE_PATHS, PUFFLE_PROFILE_PATHS, puffleBases, SOURCE_IDS, SOURCE_LABELS,
} from '../../../js/vendors/puffle.js';
import { bucketLimits } from '../../../js/vendors/rate-limits.js';
import {
  ANSWER_TYPES, QUALIFICATIONS, RANGE_ANSWER_TYPES, SABER, SABER_PATHS, saberRateLimitClass, TEMPLATE_DEFAULTS, WEIGHTS,
} from '../../../js/vendors/saber.js';
import { start } from './helpers.js';

let engine;
beforeAll(async () => { engine = await loadEngine(); });

const openapi = (name) => JSON.parse(readFileSync(new URL(`../../../schemas/openapi/${name}.json`, import.meta.url), 'utf8'));

test('base URLs and REST paths are those of the OpenAPI documents', () => {
  const check = (doc, vendor, paths) => {
    const base = new URL(vendor.baseUrl);
    expect(doc.servers.map((s) => s.url)).toContain(base.origin);
    for (const path of paths) expect([vendor.name, path, path in doc.paths]).toEqual([vendor.name, path, true]);
  };
  const puffle = openapi('puffle');
  const { api, internal } = PUFFLE_BASE_PATHS;
  expect(puffleBases(PUFFLE.baseUrl)).toEqual({ api: PUFFLE.baseUrl, internal: `${new URL(PUFFLE.baseUrl).origin}${internal}` });
  check(puffle, PUFFLE, [...Object.values(PUFFLE_PATHS).map((p) => `${api}${p}`),
    ...Object.values(PUFFLE_PROFILE_PATHS).map((p) => `${internal}${p}`)]);
  // Puffle's error codes are the document's ErrorCode enum.
  const codes = puffle.components.schemas.ErrorCode.enum;
  expect(codes).toEqual(expect.arrayContaining([...Object.values(PUFFLE_ERROR_CODES), 'invalid_request', 'internal_error']));
  expect(codes).toHaveLength(Object.keys(PUFFLE_ERROR_CODES).length + 2);
  expect(puffle.components.securitySchemes.puffleKey.bearerFormat).toBe(PUFFLE.key.description);
  check(openapi('saber'), SABER, Object.values(SABER_PATHS).map((p) => `${new URL(SABER.baseUrl).pathname}${p}`));
});

test('source ids are the enum of every Puffle request schema that names sources', () => {
  for (const kind of ['puffle.signalType.create', 'puffle.signalType.update']) {
    expect([kind, engine.schema(kind).properties.sources.items.enum]).toEqual([kind, [...SOURCE_IDS]]);
  }
  expect(Object.keys(SOURCE_LABELS)).toEqual([...SOURCE_IDS]);
  // The feed filter takes a comma-separated list; each listed id must be accepted, others not.
  for (const id of SOURCE_IDS) expect(engine.validate('puffle.signal.list', { source: id }).valid).toBe(true);
  expect(engine.validate('puffle.signal.list', { source: 'podcasts' }).valid).toBe(false);
});

test('Saber answer types, weights and qualifications are the template schema enums', () => {
  const schema = engine.schema('saber.template.create');
  expect(schema.properties.answerType.enum).toEqual([...ANSWER_TYPES]);
  expect(schema.properties.answerType.default).toBe(TEMPLATE_DEFAULTS.answerType);
  expect(schema.properties.weight.enum).toEqual([...WEIGHTS]);
  expect(WEIGHTS).toContain(TEMPLATE_DEFAULTS.weight);
  expect(schema.definitions.qualification.enum).toEqual([...QUALIFICATIONS]);
  for (const type of RANGE_ANSWER_TYPES) {
    const ranges = { ranges: [{ rangeStart: 0, rangeEnd: 1, answerQualification: 'good' }] };
    expect([type, engine.checkCriteria(type, ranges).valid]).toEqual([type, true]);
  }
});

test('the client and the emulator accept exactly the same keys', async () => {
  const emu = await start();
  try {
    const keys = devKeys('vendors');
    const puffle = new PuffleClient({ apiKey: keys.puffle, baseUrl: emu.puffleBaseUrl });
    const saber = new SaberClient({ apiKey: keys.saber, baseUrl: emu.saberBaseUrl });
    expect(await puffle.signalTypes.list()).toHaveLength(4);
    expect((await saber.templates.list().firstPage()).items).toEqual([]);
    expect(PUFFLE.key.pattern.test(keys.puffle) && SABER.key.pattern.test(keys.saber)).toBe(true);
    // Bearer keys the emulator refuses are exactly the ones the clients refuse to be built with.
    for (const key of ['sk_live_', 'pk_live_123', `pk_live_${'g'.repeat(64)}`]) {
      const vendor = key.startsWith('pk') ? PUFFLE : SABER;
      expect(vendor.key.pattern.test(key)).toBe(false);
      const Client = vendor === PUFFLE ? PuffleClient : SaberClient;
      expect(() => new Client({ apiKey: key })).toThrow(`apiKey must be a ${vendor.name} key: ${vendor.key.description}`);
      const base = vendor === PUFFLE ? `${emu.puffleBaseUrl}/signals/types` : `${emu.saberBaseUrl}/companies/signals/templates`;
      const res = await fetch(base, { headers: { authorization: `Bearer ${key}` } });
      expect([key, res.status]).toEqual([key, 401]);
    }
  } finally {
    await emu.close();
  }
});

test('masking follows the vendor: Puffle keys keep 24 characters, Saber keys none', () => {
  const keys = devKeys('mask');
  expect(maskKey(keys.puffle)).toBe(`${keys.puffle.slice(0, 24)}…`);
  expect(maskKey(keys.saber)).toBe('sk_live_***');
  expect(maskKey('nope')).toBe('(invalid key)');
  expect(JSON.stringify(new PuffleClient({ apiKey: keys.puffle }))).toContain(PUFFLE.key.mask(keys.puffle));
  expect(JSON.stringify(new SaberClient({ apiKey: keys.saber }))).toContain(SABER.key.mask(keys.saber));
});

test("the emulator's default limits are the vendors' documented ones, with the same burst rule as the client", () => {
  expect(DEFAULT_RATE_LIMITS.puffle).toEqual({ ...PUFFLE.rateLimit, burst: PUFFLE.rateLimit.limit });
  expect(DEFAULT_RATE_LIMITS.saberWrite).toEqual(SABER.rateLimits.write);
  expect(DEFAULT_RATE_LIMITS.saberRead).toEqual(SABER.rateLimits.read);
  // A smaller limit without a burst keeps the documented burst/limit ratio (400/2000 = 1/5).
  expect(bucketLimits(SABER.rateLimits.write, { limit: 50 })).toEqual({ limit: 50, windowMs: 60_000, burst: 10 });
  expect(bucketLimits(SABER.rateLimits.write, { limit: 1 })).toMatchObject({ burst: 1 });
  expect(bucketLimits(SABER.rateLimits.write, { limit: 50, burst: 3 })).toMatchObject({ burst: 3 });
  // Saber documents GET, HEAD and OPTIONS as reads and POST, PUT and DELETE as writes; PATCH
  // (in neither list) counts as a write.
  expect(['GET', 'HEAD', 'OPTIONS'].map(saberRateLimitClass)).toEqual(['read', 'read', 'read']);
  expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(saberRateLimitClass)).toEqual(['write', 'write', 'write', 'write']);
  expect(SABER.rateLimitWaitMs).toBe(60_000);
});
