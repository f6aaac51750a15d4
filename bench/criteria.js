// Qualification criteria: the budget's workload (docs/performance.md: 1M numeric answers, 5 ranges) through
// engine.evaluateMany against plain JS and json-rules-engine on the same answers; the text
// batch (1M research-style strings) and single calls (evaluate(template, answer) and
// compileCriteria(template).evaluate(answer)). Every candidate's output
// is checked against signalkit's before its time counts.
import { compare, timeRuns } from './timing.js';

const N = 1_000_000;
const RULES_SAMPLE = 20_000; // json-rules-engine runs ~40k/s: a sample keeps the run short

export const template = {
  name: 'Employees',
  question: 'How many employees does the company have?',
  answerType: 'number',
  weight: 'important',
  qualificationCriteria: {
    ranges: [
      { rangeStart: null, rangeEnd: 10, answerQualification: 'disqualified' },
      { rangeStart: 10, rangeEnd: 50, answerQualification: 'poor' },
      { rangeStart: 50, rangeEnd: 200, answerQualification: 'neutral' },
      { rangeStart: 250, rangeEnd: 1000, answerQualification: 'good' },
      { rangeStart: 1000, rangeEnd: 5000, answerQualification: 'excellent' },
    ],
  },
};
const Q = ['disqualified', 'poor', 'neutral', 'good', 'excellent'];

function answers() {
  let seed = 12345;
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    xs[i] = Math.floor((seed / 2147483648) * 6000) - 50; // every range, the gap, both ends
  }
  return xs;
}

// Plain JS: the same decisions (rangeStart ≤ x < rangeEnd, the greatest end inclusive,
// unmatched → neutral, NaN → error) writing the same codes.
function plainJs(ranges) {
  const rs = ranges.map((r) => ({ lo: r.rangeStart ?? -Infinity, hi: r.rangeEnd ?? Infinity, q: Q.indexOf(r.answerQualification) }));
  const top = Math.max(...rs.map((r) => r.hi));
  return (xs, out) => {
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      let code = Number.isFinite(x) ? 2 : 255;
      if (code === 2) {
        for (let j = 0; j < rs.length; j++) {
          const r = rs[j];
          if (x >= r.lo && (x < r.hi || (x === top && r.hi === top))) { code = r.q | 8; break; }
        }
      }
      out[i] = code;
    }
    return out;
  };
}

// A plain JS reading of research text ("1,234", "1.2k", "~500", "500+", "3.5M").
function parseText(s) {
  const m = /^\s*~?\s*(-?[\d,]*\.?\d+)\s*([kKmMbB]|thousand|million|billion)?\s*\+?\s*$/.exec(s);
  if (!m) return NaN;
  const mult = { k: 1e3, K: 1e3, thousand: 1e3, m: 1e6, M: 1e6, million: 1e6, b: 1e9, B: 1e9, billion: 1e9 }[m[2]] ?? 1;
  return parseFloat(m[1].replace(/,/g, '')) * mult;
}

function textAnswers(xs) {
  const out = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    switch (i % 4) {
      case 0: out[i] = x.toLocaleString('en-US'); break;
      case 1: out[i] = `~${x}`; break;
      case 2: out[i] = `${x}+`; break;
      default: out[i] = x >= 1000 ? `${x / 1000}k` : String(x);
    }
  }
  return out;
}

async function rulesEngine(xs, expected) {
  let Engine;
  try {
    ({ Engine } = await import('json-rules-engine'));
  } catch {
    return { rate: undefined, note: 'json-rules-engine not installed (npm install -D json-rules-engine)' };
  }
  const re = new Engine([], { allowUndefinedFacts: true });
  const ranges = template.qualificationCriteria.ranges;
  const top = Math.max(...ranges.map((r) => r.rangeEnd ?? Infinity));
  ranges.forEach((r, idx) => {
    const all = [];
    if (r.rangeStart !== null) all.push({ fact: 'value', operator: 'greaterThanInclusive', value: r.rangeStart });
    if (r.rangeEnd !== null) all.push({ fact: 'value', operator: r.rangeEnd === top ? 'lessThanInclusive' : 'lessThan', value: r.rangeEnd });
    re.addRule({ conditions: { all }, event: { type: r.answerQualification, params: { idx } }, priority: ranges.length - idx });
  });
  const evaluate = async (x) => {
    const { events } = await re.run({ value: x });
    return events.length ? Q.indexOf(events[0].type) | 8 : 2;
  };
  for (let i = 0; i < 2000; i++) {
    if ((await evaluate(xs[i])) !== expected[i]) throw new Error(`json-rules-engine disagrees at x=${xs[i]}`);
  }
  const t = performance.now();
  for (let i = 0; i < RULES_SAMPLE; i++) await evaluate(xs[i]);
  return { rate: RULES_SAMPLE / ((performance.now() - t) / 1000) };
}

export async function run({ engine, log }) {
  const rows = [];
  const xs = answers();
  const plain = plainJs(template.qualificationCriteria.ranges);
  const plainOut = new Uint8Array(N);
  const expected = plain(xs, new Uint8Array(N));
  const check = engine.evaluateMany(template, xs);
  for (let i = 0; i < N; i++) {
    if (check.codes[i] !== expected[i]) throw new Error(`signalkit and plain JS disagree at x=${xs[i]}: ${check.codes[i]} vs ${expected[i]}`);
  }

  // Batch, numeric: the whole call (copy in, evaluate, copy the codes out).
  // Both sides write into a preallocated output, as a loop over many batches would.
  let sink = 0;
  const skOut = new Uint8Array(N);
  const skValues = new Float64Array(N);
  const tSk = timeRuns(() => { sink += engine.evaluateMany(template, xs, { out: skOut }).codes[7]; });
  const tJs = timeRuns(() => { sink += plain(xs, plainOut)[7]; });
  const rules = await rulesEngine(xs, expected);
  const rate = (t) => N / t / 1e6;
  const both = (t) => `${rate(t.cpu).toFixed(1)} | ${rate(t.wall).toFixed(1)} M/s`;
  log(`batch numeric, ${N.toLocaleString('en-US')} answers, 5 ranges, CPU | wall: signalkit ${both(tSk)}, plain JS ${both(tJs)}` +
    (rules.rate ? `, json-rules-engine ${(rules.rate / 1e3).toFixed(1)} k/s (${RULES_SAMPLE.toLocaleString('en-US')}-answer sample, wall)` : ''));
  rows.push({
    job: 'criteria: batch numeric (1M answers, 5 ranges), CPU',
    signalkit: rate(tSk.cpu),
    peers: { 'plain JS': rate(tJs.cpu), ...(rules.rate ? { 'json-rules-engine': rules.rate / 1e6 } : {}) },
    unit: 'M evaluations/s',
    ratio: tJs.cpu / tSk.cpu,
    budget: '≥ 50 M/s',
    pass: rate(tSk.cpu) >= 50,
    note: `wall ${rate(tSk.wall).toFixed(1)} vs ${rate(tJs.wall).toFixed(1)} M/s` + (rules.note ? `; ${rules.note}` : ''),
  });

  // Batch, text: 1M research-style strings in one crossing.
  const texts = textAnswers(xs);
  const textCheck = engine.evaluateMany(template, texts);
  for (let i = 0; i < 5000; i++) {
    if (textCheck.codes[i] !== expected[i]) throw new Error(`text batch disagrees at ${JSON.stringify(texts[i])}`);
  }
  const parsed = new Float64Array(texts.length);
  const plainText = (out) => {
    const v = parsed;
    for (let i = 0; i < texts.length; i++) v[i] = parseText(texts[i]);
    return plain(v, out);
  };
  if (plainText(new Uint8Array(N)).some((c, i) => c !== expected[i])) throw new Error('plain JS text parser disagrees');
  const tSkText = timeRuns(() => { sink += engine.evaluateMany(template, texts, { out: skOut, outValues: skValues }).codes[3]; }, 5);
  const tJsText = timeRuns(() => { sink += plainText(plainOut)[3]; }, 5);
  log(`batch text, ${N.toLocaleString('en-US')} answers ("1,234", "~500", "500+", "1.2k"), CPU | wall: signalkit ${both(tSkText)}, plain JS regex parser ${both(tJsText)}`);
  rows.push({
    job: 'criteria: batch text (1M answers), CPU',
    signalkit: rate(tSkText.cpu),
    peers: { 'plain JS (regex parser)': rate(tJsText.cpu) },
    unit: 'M evaluations/s',
    ratio: tJsText.cpu / tSkText.cpu,
    budget: '≥ plain JS',
    pass: tSkText.cpu <= tJsText.cpu,
    note: `wall ${rate(tSkText.wall).toFixed(2)} vs ${rate(tJsText.wall).toFixed(2)} M/s`,
  });

  // Single calls: one crossing per answer, result object included. evaluate(template, …)
  // sends the template on every call; compileCriteria() compiles it once and sends only
  // the answer, reading the result from a binary record. Both give the same object.
  const compiled = engine.compileCriteria(template);
  const want = JSON.stringify(engine.evaluate(template, '1.2k'));
  if (JSON.stringify(compiled.evaluate('1.2k')) !== want) throw new Error(`compileCriteria disagrees: ${JSON.stringify(compiled.evaluate('1.2k'))} vs ${want}`);
  const t = compare({
    signalkit: () => { sink += engine.evaluate(template, '1.2k').value; },
    compiled: () => { sink += compiled.evaluate('1.2k').value; },
    'plain JS': () => { sink += plain([parseText('1.2k')], new Uint8Array(1))[0]; },
  }, { rounds: 9, iterations: 20000 });
  compiled.close();
  const us = (x) => (x * 1e6).toFixed(3);
  log(`single evaluate("1.2k"), CPU | wall: evaluate(template) ${us(t.signalkit.cpu)} | ${us(t.signalkit.wall)} µs, compiled ${us(t.compiled.cpu)} | ${us(t.compiled.wall)} µs, plain JS ${us(t['plain JS'].cpu)} | ${us(t['plain JS'].wall)} µs`);
  for (const [job, name] of [['criteria: single evaluate(template, "1.2k"), CPU', 'signalkit'], ['criteria: single compileCriteria(template).evaluate("1.2k"), CPU', 'compiled']]) {
    rows.push({
      job,
      signalkit: t[name].cpu * 1e6,
      peers: { 'plain JS': t['plain JS'].cpu * 1e6 },
      unit: 'µs/call',
      ratio: t[name].cpu / t['plain JS'].cpu,
      budget: '≤ 1 µs',
      pass: t[name].cpu * 1e6 <= 1,
      note: `wall ${us(t[name].wall)} vs ${us(t['plain JS'].wall)} µs`,
    });
  }
  if (sink === 0) throw new Error('unreachable');
  return rows;
}
