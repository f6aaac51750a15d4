// scripts/summary.mjs turns every runner's own results into the one `N passed, N failed`
// line of npm test; a miscount there would hide failures, so it is tested on real formats.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/summary.mjs');
let dir;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'sk-summary-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function summarise(files, manifest) {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'manifest.tsv'), manifest.map((l) => l.join('\t')).join('\n'));
  try {
    return { code: 0, out: execFileSync(process.execPath, [script, 'manifest.tsv'], { cwd: dir, encoding: 'utf8' }) };
  } catch (err) {
    return { code: err.status, out: err.stdout };
  }
}
const lastLine = (out) => out.trim().split('\n').at(-1);

test('counts ctest JUnit, Jest JSON, node TAP, fuzz logs and checks; the last line is the total', () => {
  const r = summarise({
    'ctest.xml': '<?xml version="1.0"?>\n<testsuite name="x"\n  tests="10" failures="0" disabled="2"\n  skipped="1">\n</testsuite>\n',
    'jest.json': JSON.stringify({ numPassedTests: 5, numFailedTests: 0, numRuntimeErrorTestSuites: 0 }),
    'results.tap': 'TAP version 13\nok 1 - a\n# tests 3\n# pass 3\n# fail 0\n# cancelled 0\n',
    'fuzz.log': 'fuzz: parse for 30s (corpus c)\nfuzz: parse ok (812 runs, corpus 3 inputs)\nfuzz: match ok (9 runs, corpus 1 inputs)\n',
  }, [
    ['junit', 'ctest', 'ctest.xml', '0'], ['fuzz', 'fuzz', 'fuzz.log', '0'], ['check', 'tsc', '-', '0'],
    ['jest', 'jest', 'jest.json', '0'], ['tap', 'browser', 'results.tap', '0'],
  ]);
  expect(r.code).toBe(0);
  expect(r.out).toContain('ctest: 7 passed, 0 failed');
  expect(lastLine(r.out)).toBe('18 passed, 0 failed');
});

test('failures, suites that did not load, cancelled tests, missing results and silent crashes all count', () => {
  const r = summarise({
    'ctest.xml': '<testsuite tests="4" failures="1" disabled="0" skipped="0">',
    'jest.json': JSON.stringify({ numPassedTests: 5, numFailedTests: 1, numRuntimeErrorTestSuites: 1 }),
    'results.tap': '# pass 2\n# fail 0\n# cancelled 1\n',
    'crash.tap': '# pass 4\n# fail 0\n',
    'fuzz.log': 'fuzz: parse ok (1 runs)\nfuzz: match FAILED; last lines of build-fuzz/match.log:\n',
  }, [
    ['junit', 'ctest', 'ctest.xml', '8'], ['fuzz', 'fuzz', 'fuzz.log', '1'], ['check', 'wasm/js build', '-', '2'],
    ['jest', 'jest', 'jest.json', '1'], ['tap', 'browser', 'results.tap', '1'],
    ['tap', 'other', 'crash.tap', '3'], ['jest', 'lost', 'nowhere.json', '0'],
  ]);
  expect(r.code).toBe(1);
  expect(r.out).toContain('other: 4 passed, 1 failed (exited 3 without a failed test)');
  expect(r.out).toContain('lost: 0 passed, 1 failed (no results in nowhere.json)');
  expect(r.out).toContain('failed: ctest (1), fuzz (1), wasm/js build (1), jest (2), browser (1), other (1), lost (1)');
  expect(lastLine(r.out)).toBe('15 passed, 8 failed');
});
