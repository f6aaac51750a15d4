// What makes Puffle's events happen in the emulator: new signals found for a tenant (the
// feed grows, and each new signal is a `signal.detected` event) and research runs
// (`research.complete` / `research.failed`). Both are started through the emulator's control
// routes (admin-webhooks.js), since the emulator does not scan anything by itself.
//
// New signals come from posts. The emulator draws posts like the seeded feed's, one per
// enabled type picked at random: a built-in (structured) type's post is classified as that
// type, standing in for Puffle's AI classifier; a keyword type's post mentions one of its
// keywords. Callers may add posts of their own. Every post then goes through the engine's
// keyword matcher, compiled from the tenant's keyword types with their source settings: each
// keyword type it matches (enabled, the source allowed, not disqualified) makes a signal of
// that type. So keyword types get signals exactly when the matcher says so.
import { randomUUID } from 'node:crypto';
import { HttpError } from './errors.js';
import { drawEntity, drawSignal, entityNamed, sourceUrl } from './feed.js';
import { createRng } from './util.js';
import { SOURCE_IDS } from '../vendors/puffle.js';

/** Most signals one request may add (drawn and given posts together). */
export const MAX_SIGNALS_PER_REQUEST = 50;
/** Most signals the emulator adds to one tenant's feed; beyond, requests are refused (409). */
export const MAX_DETECTED_PER_TENANT = 1_000;
/** Research runs a tenant's state keeps (their reports); the oldest go first. */
export const MAX_RESEARCH_PER_TENANT = 1_000;

const MAX_TEXT = 10_000;
const MAX_TITLE = 500;
const MAX_NAME = 200;
const SOURCE_PATTERN = /^[a-z0-9_]{1,64}$/;
const POST_FIELDS = ['title', 'text', 'source', 'url', 'company'];

/**
 * Checks the body of POST /__emulator/signals: `{count?, posts?}`. Without either, one post
 * is drawn. → {count, posts}.
 * @throws {HttpError} 400 naming every problem
 */
export function signalsRequest(body) {
  const issues = [];
  const b = objectBody(body, ['count', 'posts'], issues);
  const given = b.posts ?? [];
  if (b.posts !== undefined && (!Array.isArray(b.posts) || b.posts.length === 0)) {
    issues.push(issue('posts', 'type', 'posts must be a non-empty array of {text, title?, source?, url?, company?}'));
  }
  const count = b.count ?? (Array.isArray(b.posts) ? 0 : 1);
  if (!Number.isInteger(count) || count < 0) issues.push(issue('count', 'type', 'count must be an integer ≥ 0'));
  if (Array.isArray(given)) given.forEach((post, i) => checkPost(post, `posts[${i}]`, issues));
  if (!issues.length && count + (Array.isArray(given) ? given.length : 0) > MAX_SIGNALS_PER_REQUEST) {
    issues.push(issue('count', 'too_many', `at most ${MAX_SIGNALS_PER_REQUEST} posts per request (count and posts together)`));
  }
  fail(issues);
  return { count, posts: given };
}

/**
 * Finds new signals for `tenant` now: `count` drawn posts and the `posts` given, classified
 * as described above. Appends them to `tenant.detected` (the feed shows them at once) and
 * returns them, in order.
 * @throws {HttpError} 409 when the tenant's feed already holds MAX_DETECTED_PER_TENANT added signals
 */
export function detectSignals({ engine, seed, tenant, nowMs }, { count, posts }) {
  if (tenant.detected.length + count + posts.length > MAX_DETECTED_PER_TENANT) {
    throw new HttpError(409, 'conflict', `this key's feed already holds ${tenant.detected.length} added signals `
      + `(at most ${MAX_DETECTED_PER_TENANT}); restart the emulator (without its dataFile) for a fresh feed`);
  }
  const seedText = `${seed}:${tenant.id}`;
  // Seeded by how many signals were added before, so a run is reproducible from a fresh start.
  const rng = createRng(`${seedText}:detect:${tenant.detected.length}`);
  const types = [...tenant.types.values()].filter((t) => t.enabled);
  const sourcesOf = (type) => [...tenant.sources.get(type.id).values()].filter((r) => r.enabled).map((r) => r.source_id);

  const candidates = []; // {post, classified}: `classified` when the post is a built-in type's signal as drawn
  for (let i = 0; i < count; i++) {
    const type = types.length ? rng.pick(types) : null;
    const sources = type ? sourcesOf(type) : [];
    if (!sources.length || (type.kind === 'keyword' && !type.keywords.length)) continue; // nothing to find it on, or by
    const keyword = type.kind === 'keyword' ? rng.pick(type.keywords) : null;
    const post = drawSignal(rng, seedText, {
      label: type.label, sources, createdMs: nowMs, content: keyword === null ? undefined : mentioning(keyword),
    });
    candidates.push({ post, classified: keyword === null });
  }
  for (const given of posts) candidates.push({ post: postSignal(rng, seedText, given, nowMs), classified: false });

  const matches = keywordMatches(engine, tenant, candidates.map((c) => c.post));
  const found = [];
  candidates.forEach(({ post, classified }, i) => {
    if (classified) found.push(post);
    for (const t of matches[i]) found.push(keywordSignal(rng, post, t));
  });
  tenant.detected.push(...found);
  return found;
}

/** The `data` of a signal.detected event for a signal (Puffle's documented fields). */
export function signalDetectedData(signal) {
  return {
    id: signal.id,
    signal_type_label: signal.signal_type,
    headline: signal.title,
    score: signal.score,
    source: signal.source,
    detected_at: signal.created_at,
  };
}

/**
 * Checks the body of POST /__emulator/research: `{first_name, last_name, company,
 * outcome?: 'complete' | 'failed'}`. → the body.
 * @throws {HttpError} 400 naming every problem
 */
export function researchRequest(body) {
  const issues = [];
  const b = objectBody(body, ['first_name', 'last_name', 'company', 'outcome'], issues);
  for (const field of ['first_name', 'last_name', 'company']) {
    const v = b[field];
    if (typeof v !== 'string' || !v.trim() || v.length > MAX_NAME) {
      issues.push(issue(field, v === undefined ? 'required' : 'type', `${field} must be a non-empty string of at most ${MAX_NAME} characters`));
    }
  }
  if (b.outcome !== undefined && b.outcome !== 'complete' && b.outcome !== 'failed') {
    issues.push(issue('outcome', 'enum', 'outcome must be "complete" (the default) or "failed"'));
  }
  fail(issues);
  return { first_name: b.first_name.trim(), last_name: b.last_name.trim(), company: b.company.trim(), outcome: b.outcome ?? 'complete' };
}

/**
 * Runs a research of one person now (the emulator's runs finish at once) and keeps it in
 * the tenant's state. → {run, type, data}: the stored run and the event it makes
 * (`research.complete` with Puffle's documented fields, or `research.failed`).
 */
export function runResearch({ seed, tenant, nowMs, reportUrl }, { first_name, last_name, company, outcome }) {
  const id = randomUUID();
  const person = { id, first_name, last_name, company };
  const at = new Date(nowMs).toISOString();
  let run;
  let type;
  let data;
  if (outcome === 'complete') {
    // The score depends on who was researched (the same person scores the same per seed).
    const icp_score = createRng(`${seed}:${tenant.id}:icp:${[first_name, last_name, company].join('\u0000').toLowerCase()}`).int(0, 100);
    data = { ...person, icp_score, report_url: reportUrl(id) };
    run = { ...data, status: 'complete', finished_at: at };
    type = 'research.complete';
  } else {
    data = { ...person, error: `no public profile of ${first_name} ${last_name} at ${company} was found` };
    run = { ...data, status: 'failed', finished_at: at };
    type = 'research.failed';
  }
  tenant.research.push(run);
  if (tenant.research.length > MAX_RESEARCH_PER_TENANT) tenant.research.splice(0, tenant.research.length - MAX_RESEARCH_PER_TENANT);
  return { run, type, data };
}

// ---------------------------------------------------------------------------------------

// Content of a keyword type's drawn post: it mentions the keyword, in the title and the text.
function mentioning(keyword) {
  return (company) => ({
    title: `${company}: ${keyword}`,
    text: `People at ${company} are talking about ${keyword} this week.`,
    reasoning: null,
    person: null,
    classification: null,
  });
}

// A caller's post as a signal candidate: the company it names (or one of the feed's), the
// source it names (or one drawn), its link (or one made up for the source). The id, type,
// reasoning, score and classification come from the keyword type that matches it.
function postSignal(rng, seedText, post, nowMs) {
  const source = post.source ?? rng.pick(SOURCE_IDS);
  const title = post.title ?? headline(post.text);
  const entity = post.company === undefined ? drawEntity(rng, seedText) : entityNamed(seedText, post.company);
  return {
    id: null,
    signal_type: null,
    title,
    text: post.text,
    reasoning: null,
    source,
    source_url: post.url ?? sourceUrl(source, rng, entity.name, title),
    score: 0,
    confidence: null,
    entity,
    person_entity: null,
    classification: null,
    created_at: new Date(Math.floor(nowMs / 1000) * 1000).toISOString(),
  };
}

// The first 120 characters of a text, cut at a space.
function headline(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 120) return flat;
  const cut = flat.slice(0, 120);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 60 ? cut.lastIndexOf(' ') : 120)}…`;
}

// For each post, the keyword types that match it (the engine's matcher, the types' rules).
function keywordMatches(engine, tenant, posts) {
  const keywordTypes = [...tenant.types.values()].filter((t) => t.kind === 'keyword')
    .map((t) => ({ ...t, source_settings: [...tenant.sources.get(t.id).values()] }));
  if (!keywordTypes.length || !posts.length) return posts.map(() => []);
  const matcher = engine.compileMatcher(keywordTypes);
  try {
    return matcher.matchMany(posts.map((p) => ({ source: p.source, title: p.title, text: p.text ?? '' })))
      .map((r) => r.types.filter((t) => t.matched));
  } finally {
    matcher.close();
  }
}

// A keyword type's signal for a post it matched: why (the keywords, where), and a score that
// grows with the number of distinct keywords found.
function keywordSignal(rng, post, match) {
  const keywords = [...new Set(match.keywords.map((k) => k.keyword))];
  const where = match.keywords.map((k) => `"${k.keyword}" in the ${k.field}`).join(', ');
  return {
    ...post,
    id: rng.uuid(),
    signal_type: match.label,
    reasoning: `Matched the keywords of ${match.label}: ${where}.`,
    score: Math.min(95, 45 + 15 * keywords.length),
    confidence: Math.min(0.99, 0.6 + 0.1 * keywords.length),
    person_entity: null,
    classification: { matched_keywords: keywords },
  };
}

function issue(field, code, message) {
  return { field, code, message };
}

function fail(issues) {
  if (issues.length) {
    throw new HttpError(400, 'validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
}

// The parsed body as an object with only `allowed` keys (undefined: an empty object).
function objectBody(body, allowed, issues) {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    issues.push(issue('', 'type', `the body must be a JSON object with ${allowed.join(', ')}`));
    return {};
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) issues.push(issue(key, 'unknown_field', `${key} is not a field here (fields: ${allowed.join(', ')})`));
  }
  return body;
}

function checkPost(post, at, issues) {
  if (post === null || typeof post !== 'object' || Array.isArray(post)) {
    issues.push(issue(at, 'type', `${at} must be an object {text, title?, source?, url?, company?}`));
    return;
  }
  for (const key of Object.keys(post)) {
    if (!POST_FIELDS.includes(key)) issues.push(issue(`${at}.${key}`, 'unknown_field', `${key} is not a field of a post (fields: ${POST_FIELDS.join(', ')})`));
  }
  const text = (field, max, required) => {
    const v = post[field];
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || !v.trim() || v.length > max) {
      issues.push(issue(`${at}.${field}`, v === undefined ? 'required' : 'type', `${field} must be a non-empty string of at most ${max} characters`));
    }
  };
  text('text', MAX_TEXT, true);
  text('title', MAX_TITLE, false);
  text('company', MAX_NAME, false);
  if (post.source !== undefined && (typeof post.source !== 'string' || !SOURCE_PATTERN.test(post.source))) {
    issues.push(issue(`${at}.source`, 'pattern', 'source must be a source id such as news or reddit (lower-case letters, digits, _)'));
  }
  if (post.url !== undefined && !isHttpUrl(post.url)) issues.push(issue(`${at}.url`, 'format', 'url must be an absolute http: or https: URL'));
}

function isHttpUrl(value) {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
