// Simulated research for Saber company signals: what "researching" a company answers. The
// answer is deterministic per (seed, domain, question) and shaped by the answer type as
// research returns it — text with units and noise ("1.2k", "~300", "45%", "$1.2M", "Yes"),
// list items drawn from the template's choices, JSON valid against the output schema —
// sometimes wrapped as Saber's list example shows ({type, openText: {value}}), and now and
// then an answer nobody can parse ("Not publicly disclosed"), which strict verification
// turns into no answer. A domain that cannot resolve fails (docs/emulator.md).
import { companyNameOf, isUnresolvable } from './hosts.js';
import { createRng } from './util.js';
import { answerWrapperKey } from '../vendors/saber.js';

// How often an answer is wrapped, and how often research finds nothing usable.
const WRAPPED_SHARE = 1 / 3;
const EVASIVE_SHARE = 1 / 12;
const EVASIVE = ['Not publicly disclosed', 'Unknown', 'No reliable data found'];
const EVASIVE_TYPES = new Set(['number', 'percentage', 'currency', 'boolean']);
const LIST_FALLBACK = ['Salesforce', 'HubSpot', 'Pipedrive', 'Zoho CRM', 'Microsoft Dynamics'];
const INDUSTRIES = ['B2B software', 'logistics', 'fintech', 'healthcare IT', 'developer tools', 'e-commerce', 'manufacturing'];
const FIRST = ['Dana', 'Sam', 'Priya', 'Jonas', 'Mei', 'Carlos', 'Aisha', 'Tom'];
const LAST = ['Okafor', 'Lindqvist', 'Tanaka', 'Rossi', 'Nguyen', 'Schmidt', 'Haddad', 'Kowalski'];
const TITLES = ['VP Sales', 'Head of Operations', 'CTO', 'Chief Revenue Officer', 'Head of Growth', 'RevOps Manager'];
// json_schema: how hard the simulation tries, and how big an answer may grow.
const SCHEMA_ATTEMPTS = 5;
const MAX_SCHEMA_DEPTH = 8;
const MAX_ITEMS = 20;

/** A number rounded to two significant digits (research rarely knows more). */
function round2(n) {
  if (n < 100) return Math.round(n);
  const p = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / p) * p;
}

const grouped = (n) => n.toLocaleString('en-US');
const trim = (x) => String(Number(x.toFixed(1)));

/** A count as research writes it: "1.2k", "12,000", "~300", "about 40", "500+", "85". */
function countText(rng, n) {
  const forms = [
    () => (n >= 1e6 ? `${trim(n / 1e6)}M` : n >= 1e3 ? `${trim(n / 1e3)}k` : String(n)),
    () => grouped(n),
    () => `~${grouped(n)}`,
    () => `about ${grouped(n)}`,
    () => `${grouped(n)}+`,
    () => String(n),
  ];
  return rng.pick(forms)();
}

/** An amount as research writes it: "$1.2M", "USD 1,200,000", "€3.5M", "£850k". */
function amountText(rng, n) {
  const short = n >= 1e6 ? `${trim(n / 1e6)}M` : `${trim(n / 1e3)}k`;
  return rng.pick([() => `$${short}`, () => `USD ${grouped(n)}`, () => `€${short}`, () => `£${short}`, () => `${short} USD`])();
}

/** The choices a list answer is drawn from: the template's choice labels (or keys), else a stock list. */
function choiceNames(criteria) {
  const choices = criteria?.choices;
  if (choices && typeof choices === 'object' && !Array.isArray(choices)) {
    const names = Object.entries(choices).map(([key, c]) => (typeof c?.label === 'string' && c.label.trim() ? c.label : key));
    if (names.length) return names;
  }
  return LIST_FALLBACK;
}

function people(rng, count, domain) {
  return Array.from({ length: count }, () => {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    return { name: `${first} ${last}`, title: rng.pick(TITLES), email: `${first}.${last}@${domain}`.toLowerCase(),
      linkedinUrl: `https://www.linkedin.com/in/${first}-${last}-${rng.hex(6)}`.toLowerCase() };
  });
}

/**
 * A value for a JSON Schema (draft-07): the common keywords are honoured (type, const,
 * enum, properties and required, items, min/max lengths, items and properties, numeric
 * bounds, multipleOf, formats, local $ref, allOf, anyOf, oneOf); the caller checks the
 * result against the whole schema and tries again when it does not fit. Throws when the
 * schema cannot be satisfied here (false, or nested too deep).
 */
function instanceOf(schema, rng, ctx, depth = 0) {
  if (depth > MAX_SCHEMA_DEPTH || schema === false) throw new Error('unsatisfiable');
  if (schema === true || schema === null || typeof schema !== 'object') return ctx.phrase(rng);
  if (typeof schema.$ref === 'string') {
    if (!schema.$ref.startsWith('#')) throw new Error('remote $ref');
    const target = schema.$ref.slice(1).split('/').filter(Boolean)
      .reduce((node, part) => node?.[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')], ctx.root);
    return instanceOf(target ?? false, rng, ctx, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return rng.pick(schema.enum);
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const merged = { ...schema, allOf: undefined };
    for (const part of schema.allOf) {
      if (part && typeof part === 'object') {
        Object.assign(merged, part, {
          properties: { ...merged.properties, ...part.properties },
          required: [...(merged.required ?? []), ...(part.required ?? [])],
        });
      }
    }
    delete merged.allOf;
    return instanceOf(merged, rng, ctx, depth + 1);
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) {
    const { anyOf, oneOf, ...rest } = schema;
    const pick = rng.pick(alternatives);
    return instanceOf(typeof pick === 'object' && pick !== null ? { ...rest, ...pick } : pick, rng, ctx, depth + 1);
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
  type ??= schema.properties || schema.required ? 'object'
    : schema.items ? 'array'
      : schema.minimum !== undefined || schema.maximum !== undefined ? 'number'
        : 'string';
  switch (type) {
    case 'object': {
      const out = {};
      const props = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? schema.required : []);
      for (const [name, sub] of Object.entries(props)) {
        if (required.has(name) || rng.next() < 0.6) out[name] = instanceOf(sub, rng, { ...ctx, name }, depth + 1);
      }
      for (const name of required) if (!(name in out)) out[name] = ctx.phrase(rng);
      return out;
    }
    case 'array': {
      const min = Number.isInteger(schema.minItems) ? schema.minItems : 0;
      const max = Number.isInteger(schema.maxItems) ? schema.maxItems : Math.max(min, 3);
      if (min > MAX_ITEMS) throw new Error('too many items');
      const count = Math.min(max, Math.max(min, rng.int(1, 3)));
      if (Array.isArray(schema.items)) {
        return schema.items.slice(0, Math.max(count, schema.items.length)).map((s) => instanceOf(s, rng, ctx, depth + 1));
      }
      return Array.from({ length: count }, () => instanceOf(schema.items ?? true, rng, ctx, depth + 1));
    }
    case 'integer':
    case 'number': {
      const lo = schema.exclusiveMinimum ?? schema.minimum ?? (schema.maximum !== undefined ? schema.maximum - 1000 : 1);
      const hi = schema.exclusiveMaximum ?? schema.maximum ?? lo + 1000;
      let n = lo + rng.next() * (hi - lo);
      if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) n = Math.ceil(n / schema.multipleOf) * schema.multipleOf;
      if (type === 'integer') n = Math.min(Math.max(Math.ceil(n), Math.ceil(lo)), Math.floor(hi));
      else n = Math.round(n * 100) / 100;
      return n;
    }
    case 'boolean': return rng.next() < 0.5;
    case 'null': return null;
    default: return stringFor(schema, rng, ctx);
  }
}

function stringFor(schema, rng, ctx) {
  const formats = {
    'date-time': () => new Date(Date.UTC(2020 + rng.int(0, 5), rng.int(0, 11), rng.int(1, 28))).toISOString(),
    date: () => new Date(Date.UTC(2020 + rng.int(0, 5), rng.int(0, 11), rng.int(1, 28))).toISOString().slice(0, 10),
    time: () => `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`,
    email: () => `info@${ctx.domain}`,
    uri: () => `https://${ctx.domain}/`,
    'uri-reference': () => `https://${ctx.domain}/`,
    hostname: () => ctx.domain,
    uuid: () => rng.uuid(),
    ipv4: () => `192.0.2.${rng.int(1, 254)}`,
    ipv6: () => '2001:db8::1',
  };
  let text = formats[schema.format]?.() ?? (/name/i.test(ctx.name ?? '') ? ctx.company : ctx.phrase(rng));
  const min = Number.isInteger(schema.minLength) ? schema.minLength : 0;
  while ([...text].length < min) text += ` ${ctx.phrase(rng)}`;
  if (Number.isInteger(schema.maxLength)) text = [...text].slice(0, schema.maxLength).join('');
  return text;
}

/**
 * What research finds for one question about one company. `engine` checks json_schema
 * answers against `outputSchema`.
 * @returns {{status: 'completed'|'failed', answer, confidence, reasoning, sources, error}}
 */
export function simulateResearch({ engine, seed, domain, question, answerType, outputSchema, criteria, verificationMode }) {
  const host = domain.toLowerCase();
  if (isUnresolvable(host)) {
    return { status: 'failed', answer: null, confidence: null, reasoning: null, sources: [], error: `the domain ${domain} could not be resolved` };
  }
  const rng = createRng(`${seed}:research:${host}:${question}`);
  const company = companyNameOf(host);
  const industry = rng.pick(INDUSTRIES);
  const sources = [
    { title: `${company} website`, url: `https://${host}/about` },
    { title: `${company} on LinkedIn`, url: `https://www.linkedin.com/company/${host.split('.')[0]}` },
  ];
  const strict = verificationMode === 'strict';
  if (EVASIVE_TYPES.has(answerType) && rng.next() < EVASIVE_SHARE) {
    // Research found no figure: lenient research says so in words; strict research answers null.
    return strict
      ? { status: 'completed', answer: null, confidence: null, reasoning: 'No verified source states this.', sources: [], error: null }
      : { status: 'completed', answer: rng.pick(EVASIVE), confidence: 0.2, reasoning: `No source found for ${company}; an estimate was not possible.`, sources, error: null };
  }
  let answer;
  switch (answerType) {
    case 'number': answer = countText(rng, round2(10 ** (0.7 + rng.next() * 4))); break;
    case 'percentage': {
      const v = Math.round(rng.next() * 600) / 10;
      answer = rng.pick([`${v}%`, `${v} percent`, String(v)]);
      break;
    }
    case 'currency': answer = amountText(rng, round2(10 ** (5 + rng.next() * 3.5))); break;
    case 'boolean': answer = rng.pick(rng.next() < 0.5 ? ['Yes', 'yes', 'true', 'Yes.'] : ['No', 'no', 'false', 'No.']); break;
    case 'list': {
      // Mostly one item, sometimes two or three, as a company mostly uses one tool of a kind.
      const names = choiceNames(criteria);
      const roll = rng.next();
      const picked = rng.sample(names, roll < 0.7 ? 1 : roll < 0.95 ? 2 : 3);
      answer = rng.pick([() => picked.join(', '), () => picked.join('; '), () => picked])();
      break;
    }
    case 'url': answer = `https://${host}/${rng.pick(['careers', 'pricing', 'about', 'customers'])}`; break;
    case 'contacts':
    case 'contacts_generation': answer = people(rng, rng.int(1, 3), host); break;
    case 'contact_posts':
      answer = people(rng, rng.int(1, 2), host).map((p) => ({ author: p.name, text: `${company} is hiring for ${industry}.`,
        url: `https://www.linkedin.com/posts/${rng.hex(12)}`, postedAt: new Date(Date.UTC(2025, rng.int(0, 11), rng.int(1, 28))).toISOString() }));
      break;
    case 'contact_engagements':
      answer = people(rng, rng.int(1, 2), host).map((p) => ({ name: p.name, action: rng.pick(['liked', 'commented', 'shared']),
        url: `https://www.linkedin.com/posts/${rng.hex(12)}` }));
      break;
    case 'json_schema': {
      const ctx = { root: outputSchema, domain: host, company, phrase: (r) => `${company} ${r.pick(['platform', 'team', 'customers', 'product'])}` };
      for (let attempt = 0; attempt < SCHEMA_ATTEMPTS && answer === undefined; attempt++) {
        let candidate;
        try {
          candidate = instanceOf(outputSchema ?? true, createRng(`${seed}:research:${host}:${question}:${attempt}`), ctx);
        } catch {
          continue;
        }
        if (engine.evaluate({ answerType: 'json_schema', outputSchema }, candidate).code === undefined) answer = candidate;
      }
      if (answer === undefined) {
        return { status: 'failed', answer: null, confidence: null, reasoning: null, sources,
          error: 'research could not produce an answer that matches the outputSchema' };
      }
      break;
    }
    default: answer = `${company} builds software for ${industry} teams.`;
  }
  const wrapped = rng.next() < WRAPPED_SHARE ? { type: answerType, [answerWrapperKey(answerType)]: { value: answer } } : answer;
  const shown = typeof answer === 'string' ? answer : JSON.stringify(answer);
  return {
    status: 'completed',
    answer: wrapped,
    confidence: Math.round((strict ? 0.8 + rng.next() * 0.19 : 0.55 + rng.next() * 0.4) * 100) / 100,
    reasoning: `From ${sources[0].title} and ${sources[1].title}: ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}.`,
    sources,
    error: null,
  };
}

/** How long research of (domain, question) takes: the option, or a seeded pick in its range. */
export function researchDelay(delayMs, seed, domain, question) {
  if (!Array.isArray(delayMs)) return delayMs;
  return createRng(`${seed}:research-delay:${domain.toLowerCase()}:${question}`).int(Math.round(delayMs[0]), Math.round(delayMs[1]));
}
