#!/usr/bin/env node
// A Node automation driven by Puffle's webhooks instead of polling the feed:
//   1. a small HTTP server receives deliveries with signalkit/webhooks' createWebhookHandler,
//      which verifies each signature and timestamp and runs onEvent once per delivery however
//      often it is retried;
//   2. on signal.detected it runs the keyword rules of the key's signal types (the engine's
//      matcher, compiled once) on the headline, and tells Puffle through the client whether
//      the signal was useful (puffle.signals.feedback);
//   3. on research.complete / research.failed it reports the run.
//
//   node demo/automation/webhooks.js                     # starts its own emulator
//   node demo/automation/webhooks.js --url http://127.0.0.1:4010
//        (an emulator already running: npx signalkit emulator; key from PUFFLE_API_KEY, else
//        the emulator's development key)
//
// Against Puffle itself the receiver part is the same: register the server's public URL in
// the webhook portal (puffle.partners.portal() links to it) and give the endpoint's secret as
// PUFFLE_WEBHOOK_SECRET. Here the emulator's control routes stand in for the portal
// (registering the endpoint) and for Puffle's scanners (making events happen).
import http from 'node:http';
import { parseArgs } from 'node:util';
import { loadEngine, PuffleClient } from '../../js/index.js';
import { createWebhookHandler } from '../../js/webhooks/index.js';
import { devKeys, startEmulator } from '../../js/emulator/index.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const say = values.quiet ? () => {} : (...a) => console.log(...a);
const PATH = '/puffle/webhooks';
/** How long to wait for the events this run makes before giving up. */
const DEADLINE_MS = 30_000;

async function main() {
  const engine = await loadEngine();
  // Our own emulator retries failed deliveries on Svix's schedule scaled down 1000 times.
  const emu = values.url ? null : await startEmulator({ port: 0, engine, webhooks: { retryScale: 0.001 } });
  const url = (values.url ?? emu.url).replace(/\/+$/, '');
  const apiKey = process.env.PUFFLE_API_KEY ?? devKeys().puffle;
  const puffle = new PuffleClient({ apiKey, baseUrl: `${url}/api/v1` });
  const control = async (method, path, body) => {
    const res = await fetch(`${url}/__emulator${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} /__emulator${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  say(`signalkit webhook automation against ${url}${emu ? ' (own emulator)' : ''}`);

  let server;
  let matcher;
  try {
    // --- The keyword rules: the key's signal types, with a keyword type of our own ----------
    let types = await puffle.signalTypes.list();
    if (!types.some((t) => t.label === 'Layoffs')) {
      await puffle.signalTypes.create({
        name: 'Layoffs',
        keywords: ['layoffs', 'reduction in force', 'restructuring'],
        search_instructions: 'Find reports of layoffs at B2B software companies.',
        scoring_criteria: 'Higher when more than 10% of staff are affected.',
        sources: ['news', 'reddit', 'hacker_news'],
      });
      types = await puffle.signalTypes.list();
    }
    // Compiled once; an automation that lets users edit types would compile again on change.
    matcher = engine.compileMatcher(types);
    say(`  keyword rules of ${types.length} types: ${types.map((t) => t.label).join(', ')}`);

    // --- The receiver ----------------------------------------------------------------------
    const summary = { events: 0, signals: 0, positive: 0, negative: 0, research: 0 };
    const seen = new Set();  // svix-ids handled
    let expected = null;     // svix-ids this run waits for (known once the events are made)
    let allHandled;
    const handled = new Promise((resolve) => { allHandled = resolve; });
    const check = () => { if (expected && [...expected].every((id) => seen.has(id))) allHandled(); };
    let handler = null; // armed once the endpoint's secret is known (below)

    async function onEvent(event) {
      summary.events += 1;
      if (event.type === 'signal.detected') {
        const { id, headline, source, score, signal_type_label: label } = event.data;
        const match = matcher.match({ id, source, title: headline, text: '' });
        const feedback = match.matched ? 'positive' : 'negative';
        await puffle.signals.feedback(id, feedback);
        summary.signals += 1;
        summary[feedback] += 1;
        const why = match.matched
          ? `matches ${match.types.filter((t) => t.matched).map((t) => `${t.label} ("${t.keywords[0].keyword}")`).join(', ')}`
          : 'no keyword of ours';
        say(`  ${event.id} ${label}: [${score}] "${headline}" → ${why} → feedback ${feedback}`);
      } else if (event.type === 'research.complete') {
        const { first_name: first, last_name: last, company, icp_score: icp } = event.data;
        summary.research += 1;
        say(`  ${event.id} research complete: ${first} ${last} (${company}), ICP score ${icp}`);
      } else if (event.type === 'research.failed') {
        summary.research += 1;
        say(`  ${event.id} research failed: ${event.data.error ?? 'no reason given'}`);
      }
      seen.add(event.id);
      check();
    }

    server = http.createServer((req, res) => {
      if (new URL(req.url, 'http://receiver').pathname !== PATH || !handler) {
        res.writeHead(404).end();
        return;
      }
      handler(req, res);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpointUrl = `http://127.0.0.1:${server.address().port}${PATH}`;
    say(`  receiving webhooks at ${endpointUrl}`);

    // --- Register the endpoint (the portal's job at Puffle) ---------------------------------
    const { endpoint } = await control('PUT', '/webhook-app', { url: endpointUrl });
    handler = createWebhookHandler({ secret: endpoint.secret, onEvent });
    say('  endpoint registered; its signing secret stays in this process');

    // --- Make events happen (Puffle's scanners and research at Puffle) ----------------------
    const { deliveries: fromSignals } = await control('POST', '/signals', {
      count: 6, // posts like Puffle's scanners find; and two of our own:
      posts: [
        { title: 'Acme Analytics announces layoffs', text: 'The company cuts 12% of staff.', source: 'news', company: 'Acme Analytics' },
        // Puffle finds the keyword in the text; the headline alone does not show it.
        { title: 'Kestrel Logistics: quarterly update', text: 'The update mentions a reduction in force of 5%.', source: 'reddit' },
      ],
    });
    const { deliveries: fromResearch } = await control('POST', '/research',
      { first_name: 'Ada', last_name: 'Lovelace', company: 'Analytical Engines' });
    expected = new Set([...fromSignals, ...fromResearch]);
    say(`  ${expected.size} events on their way`);
    check();

    let timer;
    await Promise.race([
      handled,
      new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${[...expected].filter((id) => !seen.has(id)).length} events did not arrive within ${DEADLINE_MS} ms`)), DEADLINE_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    say(`Done: ${summary.events} events, ${summary.signals} signals (${summary.positive} positive, `
      + `${summary.negative} negative), ${summary.research} research run(s); each verified and handled once.`);
    return summary;
  } finally {
    matcher?.close();
    // close() lets the answer to the last delivery go out (else Puffle would retry it).
    if (server) await new Promise((resolve) => server.close(resolve));
    await emu?.close();
  }
}

main().then(
  (summary) => { if (values.quiet) console.log(JSON.stringify(summary)); },
  (err) => {
    console.error(`webhook automation failed: ${err.message}`);
    process.exitCode = 1;
  },
);
