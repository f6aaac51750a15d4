// The seeded signal feed of one Puffle tenant, and its cursor pages.
//
// Pages use keyset cursors: a cursor names the sort key of the last signal returned, so
// a signal dismissed between two page reads never shifts the next page.
import { createRng } from './util.js';
import { SOURCE_IDS } from '../vendors/puffle.js';

const COMPANIES = [
  ['Northwind Analytics', 'northwind-analytics.com'], ['Bluepeak Software', 'bluepeak.io'],
  ['Lumen Freight', 'lumenfreight.com'], ['Harborline Health', 'harborlinehealth.com'],
  ['Quartzmill', 'quartzmill.dev'], ['Tessellate AI', 'tessellate.ai'],
  ['Copperleaf Payments', 'copperleafpay.com'], ['Orchard Robotics Labs', 'orchardrobotics.co'],
  ['Fieldstone Security', 'fieldstonesec.com'], ['Marigold Commerce', 'marigoldcommerce.com'],
  ['Aster Cloudworks', 'astercloud.io'], ['Driftwood Media', 'driftwoodmedia.net'],
  ['Kestrel Logistics', 'kestrel-logistics.com'], ['Nimbus Ledger', 'nimbusledger.com'],
  ['Sable Biotech', 'sablebio.com'], ['Verdant Energy Systems', 'verdantenergy.io'],
  ['Polaris HR', 'polarishr.com'], ['Ironbark Data', 'ironbarkdata.com'],
  ['Juniper Insurance Tech', 'juniperinsure.tech'], ['Cobalt Learning', 'cobaltlearning.org'],
  ['Brightwater Retail', 'brightwaterretail.com'], ['Zephyr Mobility', 'zephyrmobility.eu'],
  ['Halcyon Games', 'halcyongames.gg'], ['Meridian Legal Cloud', 'meridianlegal.cloud'],
];
const ROLES = ['Account Executive', 'SDR Team Lead', 'RevOps Manager', 'Head of Growth',
  'Data Engineer', 'VP Sales', 'Customer Success Manager', 'Marketing Operations Lead'];
const TITLES = ['Chief Revenue Officer', 'VP Sales', 'Chief Marketing Officer', 'CFO',
  'Head of Sales Operations', 'CTO'];
const COMPETITORS = ['Competitor One', 'Competitor Two', 'LegacySuite', 'OldCRM'];
const ROUNDS = ['seed round', 'Series A', 'Series B', 'Series C', 'growth round'];
const FIRST = ['Dana', 'Lee', 'Priya', 'Marco', 'Aiko', 'Sam', 'Noor', 'Jonas'];
const LAST = ['Okafor', 'Lindqvist', 'Sharma', 'Rossi', 'Tanaka', 'Nguyen', 'Haddad', 'Weber'];

// `podcasts` is deliberately outside the request enum: the vendor adds adapters, and a
// client must not fail on a source id it does not know (README, "Decisions where the
// vendors are silent").
const UNLISTED_SOURCE = 'podcasts';

const DAY_MS = 86_400_000;

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function urlFor(source, rng, company, title) {
  const n = rng.int(10_000_000, 99_999_999);
  switch (source) {
    case 'news': return `https://news.example.com/${slug(company[0])}/${slug(title).slice(0, 60)}`;
    case 'reddit': return `https://www.reddit.com/r/sales/comments/${rng.hex(7)}/`;
    case 'hacker_news': return `https://news.ycombinator.com/item?id=${n}`;
    case 'x_twitter': return `https://x.com/${slug(company[0]).replace(/-/g, '')}/status/${n}${n}`;
    case 'linkedin_posts': return `https://www.linkedin.com/posts/${slug(company[0])}_${n}`;
    case 'linkedin_jobs': return `https://www.linkedin.com/jobs/view/${n}/`;
    case 'g2_capterra': return `https://www.g2.com/products/${slug(company[0])}/reviews#${n}`;
    default: return `https://podcasts.example.com/episodes/${n}`;
  }
}

// Title, text, reasoning, the person (if any) and the classification of one signal.
function contentFor(label, rng, company) {
  const name = company[0];
  switch (label) {
    case 'hiring': {
      const role = rng.pick(ROLES);
      const count = rng.int(1, 6);
      const seniority = rng.pick(['Mid', 'Senior', 'Lead', 'Director']);
      return {
        title: `${name} is hiring ${count > 1 ? `${count} ${role}s` : `a ${role}`}`,
        text: `${name} posted ${count} open role${count > 1 ? 's' : ''} for ${role} as the team expands into new markets.`,
        reasoning: `The role matches the configured roles; ${count > 1 ? 'several openings suggest a team build-out' : 'a single opening'}.`,
        person: null,
        classification: { role, seniority, openings: count, remote: rng.next() < 0.4 },
      };
    }
    case 'funding': {
      const round = rng.pick(ROUNDS);
      const amount = rng.int(2, 120);
      return {
        title: `${name} raises $${amount}M ${round}`,
        text: `${name} announced a $${amount} million ${round} led by Example Ventures to grow its go-to-market team.`,
        reasoning: `A completed ${round} of $${amount}M: fresh budget, usually spent within two quarters.`,
        person: null,
        classification: { round, amount_usd: amount * 1_000_000 },
      };
    }
    case 'management_change': {
      const title = rng.pick(TITLES);
      const first = rng.pick(FIRST);
      const last = rng.pick(LAST);
      return {
        title: `${name} appoints ${first} ${last} as ${title}`,
        text: `${first} ${last} joins ${name} as ${title}, bringing experience from two prior scale-ups.`,
        reasoning: `A new ${title} typically reviews vendors in the first 90 days.`,
        person: { name: `${first} ${last}`, title },
        classification: { change_type: 'new_hire', title },
      };
    }
    default: {
      const competitor = rng.pick(COMPETITORS);
      return {
        title: `${name} team evaluating alternatives to ${competitor}`,
        text: `"We are replacing ${competitor} this quarter, anyone compared it to newer tools?" — a ${name} employee.`,
        reasoning: `An explicit plan to replace ${competitor}.`,
        person: null,
        classification: { competitor, mention_type: 'switching' },
      };
    }
  }
}

/** The companies of a tenant's feed as signal entities (ids fixed by `seedText`), in COMPANIES order. */
function feedEntities(seedText) {
  const entityRng = createRng(`${seedText}:entities`);
  return COMPANIES.map((c) => ({ id: entityRng.uuid(), name: c[0], type: 'company', domain: c[1] }));
}

/**
 * The feed of one tenant: `count` signals over the 30 days before `anchorMs`, fully
 * determined by `seedText`. Labels are those of the built-in types. Each signal has exactly
 * the fields Puffle documents (docs/contract.md).
 */
export function buildFeed(seedText, labels, anchorMs, count = 240) {
  const rng = createRng(`${seedText}:feed`);
  const entities = feedEntities(seedText);
  const signals = [];
  for (let i = 0; i < count; i++) {
    const ci = rng.int(0, COMPANIES.length - 1);
    const label = rng.pick(labels);
    const source = rng.next() < 0.04 ? UNLISTED_SOURCE : rng.pick(SOURCE_IDS);
    const c = contentFor(label, rng, COMPANIES[ci]);
    const created = anchorMs - rng.int(60_000, 30 * DAY_MS);
    const id = rng.uuid();
    signals.push({
      id,
      signal_type: label,
      title: c.title,
      text: c.text,
      reasoning: c.reasoning,
      source,
      source_url: urlFor(source, rng, COMPANIES[ci], c.title),
      score: rng.int(0, 100),
      confidence: rng.int(50, 99) / 100,
      entity: { ...entities[ci] },
      person_entity: c.person ? { id: createRng(`${seedText}:person:${id}`).uuid(), ...c.person } : null,
      classification: c.classification,
      created_at: new Date(Math.floor(created / 1000) * 1000).toISOString(),
    });
  }
  return { signals, byId: new Map(signals.map((s) => [s.id, s])), detected: 0 };
}

/**
 * Adds to `feed` the signals detected since (`detected`: the tenant's list, oldest first,
 * only ever appended to) that it does not hold yet. Returns the feed.
 */
export function withDetected(feed, detected) {
  for (; feed.detected < detected.length; feed.detected++) {
    const signal = detected[feed.detected];
    feed.signals.push(signal);
    feed.byId.set(signal.id, signal);
  }
  return feed;
}

/**
 * One signal found now (`createdMs`) about a company of the feed, drawn from `rng` like the
 * seeded ones: the company, a source among `sources`, the content of the built-in `label`
 * (or `content(companyName, rng)` → {title, text, reasoning, person, classification}), the
 * score and confidence.
 */
export function drawSignal(rng, seedText, { label, sources, createdMs, content }) {
  const ci = rng.int(0, COMPANIES.length - 1);
  const source = rng.pick(sources);
  const c = content ? content(COMPANIES[ci][0], rng) : contentFor(label, rng, COMPANIES[ci]);
  const id = rng.uuid();
  return {
    id,
    signal_type: label,
    title: c.title,
    text: c.text,
    reasoning: c.reasoning,
    source,
    source_url: urlFor(source, rng, COMPANIES[ci], c.title),
    score: rng.int(0, 100),
    confidence: rng.int(50, 99) / 100,
    entity: feedEntities(seedText)[ci],
    person_entity: c.person ? { id: createRng(`${seedText}:person:${id}`).uuid(), ...c.person } : null,
    classification: c.classification,
    created_at: new Date(Math.floor(createdMs / 1000) * 1000).toISOString(),
  };
}

/** A company of the feed, drawn from `rng`, as its entity. */
export function drawEntity(rng, seedText) {
  return feedEntities(seedText)[rng.int(0, COMPANIES.length - 1)];
}

/**
 * The entity of the company `name`: the feed's own when it is one of the feed's companies
 * (by name or domain, any case), else a company of that name with an id fixed by
 * `seedText` and the name, and no domain.
 */
export function entityNamed(seedText, name) {
  const key = name.trim().toLowerCase();
  const i = COMPANIES.findIndex(([n, domain]) => n.toLowerCase() === key || domain === key);
  if (i >= 0) return feedEntities(seedText)[i];
  return { id: createRng(`${seedText}:entity:${key}`).uuid(), name: name.trim(), type: 'company', domain: null };
}

/** A link of the kind `source` has, for a post titled `title` about `companyName`. */
export function sourceUrl(source, rng, companyName, title) {
  return urlFor(source, rng, [companyName], title);
}

// Sort keys: newest first by default; with sort=score, highest score first. `id` breaks
// ties so the order is total and a keyset cursor is exact.
function keyOf(signal, byScore) {
  return byScore ? [signal.score, signal.created_at, signal.id] : [signal.created_at, signal.id];
}
function compareKeys(a, b) { // descending on every component
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? 1 : -1;
  }
  return 0;
}

export class CursorError extends Error {}

export function encodeCursor(data) {
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
}
function decodeCursor(text, expect) {
  let data;
  try {
    data = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('cursor is not one this server issued');
  }
  if (!data || typeof data !== 'object' || !Array.isArray(data.k)
      || data.k.length !== (expect.byScore ? 3 : 2) || data.q !== expect.q) {
    throw new CursorError('cursor is not one this server issued for these filters');
  }
  return data.k;
}

/** How many of an entity's signals a `group_by=entity` entry carries (Puffle: its top 25 by score). */
export const GROUP_SIGNALS = 25;

/**
 * One page of the feed: `{signals, pagination}`, or with `group_by=entity`
 * `{entities: [{entity, signals, signal_count}], pagination}` (`pagination`: `{cursor,
 * has_more, count}`). `query` is the validated, typed query object; `dismissed` the ids to
 * leave out. Throws CursorError for a cursor that does not fit.
 */
export function queryFeed(feed, query, dismissed) {
  const byScore = query.sort === 'score';
  const grouped = query.group_by === 'entity';
  const limit = query.limit ?? 20;
  const sinceMs = query.since ? Date.parse(query.since) : null;
  const untilMs = query.until ? Date.parse(query.until) : null;
  const types = query.signal_type ? new Set(query.signal_type.split(',').map((s) => s.trim())) : null;
  const sources = query.source ? new Set(query.source.split(',').map((s) => s.trim())) : null;
  const q = [query.since, query.until, query.signal_type, query.source, query.entity_id,
    query.sort, query.group_by].map((v) => v ?? '').join('|');

  const items = feed.signals.filter((s) => {
    if (dismissed.has(s.id)) return false;
    const t = Date.parse(s.created_at);
    if (sinceMs !== null && t < sinceMs) return false;
    if (untilMs !== null && t > untilMs) return false;
    if (types && !types.has(s.signal_type)) return false;
    if (sources && !sources.has(s.source)) return false;
    if (query.entity_id && s.entity.id.toLowerCase() !== query.entity_id.toLowerCase()) return false;
    return true;
  }).map((s) => structuredClone(s));
  items.sort((a, b) => compareKeys(keyOf(a, byScore), keyOf(b, byScore)));

  // Grouped: one entry per entity, in the order of its first signal; the cursor walks
  // those first signals.
  let rows = items.map((s) => ({ head: s }));
  if (grouped) {
    const byEntity = new Map();
    for (const s of items) {
      let row = byEntity.get(s.entity.id);
      if (!row) { row = { head: s, all: [] }; byEntity.set(s.entity.id, row); }
      row.all.push(s);
    }
    rows = [...byEntity.values()];
  }
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, { byScore, q });
    rows = rows.filter((r) => compareKeys(keyOf(r.head, byScore), after) > 0);
  }
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = page[page.length - 1];
  const pagination = {
    cursor: hasMore && last ? encodeCursor({ k: keyOf(last.head, byScore), q }) : null,
    has_more: hasMore,
    count: page.length,
  };
  if (!grouped) return { signals: page.map((r) => r.head), pagination };
  return {
    entities: page.map((r) => ({
      entity: r.head.entity,
      signals: r.all.slice().sort((a, b) => compareKeys(keyOf(a, true), keyOf(b, true))).slice(0, GROUP_SIGNALS),
      signal_count: r.all.length,
    })),
    pagination,
  };
}
