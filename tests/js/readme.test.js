// Every ```js block of the README runs in the test suite as written, in plain Node from the
// package root (where 'signalkit' resolves through package.json "exports"), and prints what
// the README says it prints (the ```text block after it). A block is run here, or by the
// test named for its section below; a new block that nobody runs fails the first test.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { codeBlocks, readmeSection, ROOT, run, runModule } from './support/readme.js';
import { startEmulator } from '../../js/emulator/index.js';

// Sections whose blocks other tests run, with their claimed output.
const RUN_ELSEWHERE = {
  '### The company profile: onboarding and context': 'tests/js/client/readme.test.js',
  '### Research and score companies': 'tests/js/client/readme.test.js',
  '## Running a fleet': 'tests/js/redis/readme.test.js',
  '## OpenAPI documents': 'tests/js/contract/openapi.test.js',
  '## Receiving Puffle webhooks': 'tests/js/webhooks/readme.test.js',
  '## Low-code pages: one script tag and a proxy': 'tests/js/proxy/readme.test.js',
  '### One template, many single answers: `compileCriteria`': 'tests/js/criteria.compiled.test.js',
};
// Blocks written for a page: tests/browser/readme.test.mjs runs them in Chromium.
const BROWSER_ONLY = ['## Web components', '## Plain `<script>` tag'];

/** Every js block of the README with the heading of the section it is in. */
function jsBlocks() {
  const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const found = [];
  const headings = [];
  let inBlock = false;
  for (const line of lines) {
    if (!inBlock && /^#{2,3} /.test(line)) {
      const level = line.indexOf(' ');
      headings.splice(level - 2);
      headings[level - 2] = line;
    }
    if (line.startsWith('```')) {
      if (!inBlock && line === '```js') found.push(headings.filter(Boolean));
      inBlock = !inBlock;
    }
  }
  return found;
}

const RUN_HERE = [
  '## Validation', '## Qualification criteria', '## Keyword matching', '### Quick start: Puffle', '### Quick start: Saber',
  '## Local emulator',
];

test('every js block of the README is run by a test', () => {
  const uncovered = jsBlocks().filter((hs) => !hs.some((h) => h in RUN_ELSEWHERE || BROWSER_ONLY.includes(h) || RUN_HERE.includes(h)));
  expect(uncovered).toEqual([]);
});

/**
 * The section's js blocks joined into one module (later blocks use what earlier ones define),
 * and its claimed output. Subsections run elsewhere are standalone programs: left out.
 */
function program(heading) {
  let text = readmeSection(heading);
  for (const sub of Object.keys(RUN_ELSEWHERE)) {
    if (sub !== heading && text.includes(`\n${sub}\n`)) text = text.replace(readmeSection(sub), '');
  }
  const blocks = codeBlocks(text);
  const code = blocks.filter((b) => b.lang === 'js').map((b) => b.body).join('\n');
  const claimed = blocks.filter((b) => b.lang === 'text').map((b) => b.body).join('');
  return { code, claimed };
}

test.each([
  ['## Validation'], ['## Qualification criteria'], ['## Keyword matching'], ['## Local emulator'],
])('README "%s" runs and prints what it claims', async (heading) => {
  const { code, claimed } = program(heading);
  expect(code).not.toBe('');
  expect(await runModule(code)).toBe(claimed);
}, 60_000);

describe('the quick starts, which call the vendors, run as written against the emulator', () => {
  let emu;
  beforeAll(async () => { emu = await startEmulator({ generateDelayMs: 20, onboardingStepMs: 20, rateLimits: false }); });
  afterAll(() => emu?.close());

  // What each prints depends on the feed and on timing; these lines show that every step ran.
  test.each([
    ['### Quick start: Puffle', [/^poll \d+: done$/m, /^.+: \d+ signals, best \d+$/m, /field: 'name'/, /code: 'too_short'/]],
    ['### Quick start: Saber', [/^Headcount$/m]],
  ])('%s', async (heading, expected) => {
    const { code } = program(heading);
    const preload = path.join(ROOT, 'tests/js/support/readme-vendors.mjs');
    const env = { SIGNALKIT_README_EMULATOR: emu.url, PUFFLE_API_KEY: emu.devKeys.puffle, SABER_API_KEY: emu.devKeys.saber };
    const out = await run(process.execPath, ['--import', preload, '--input-type=module', '-e', code], { env, timeout: 110_000 });
    for (const line of expected) expect(out).toMatch(line);
  }, 120_000);
});
