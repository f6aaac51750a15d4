// Prints the `N passed, N failed` summary of a test run from every runner's own results.
//
//   node scripts/summary.mjs test-results/manifest.tsv
//
// The manifest has one line per step, written by the script that ran it (scripts/test.sh,
// tests/browser/run.sh): `<format>\t<name>\t<results file or ->\t<exit status>`. Formats:
//   check  one pass or one failure, from the exit status (a build, tsc, the cycle check)
//   junit  ctest's JUnit XML: tests - failures - disabled - skipped passed, failures failed
//   jest   Jest's --json output: numPassedTests; numFailedTests + suites that failed to load
//   tap    node --test TAP: `# pass`; `# fail` + `# cancelled`
//   fuzz   scripts/build-fuzz.sh's log: one `fuzz: <target> ok|FAILED` line per target
// A runner whose results are missing counts one failure, and so does one that exited
// non-zero without reporting a failed test (a crash between tests). Prints one line per step,
// the failed steps, and last exactly `N passed, N failed`; exits 1 when anything failed.
import { readFileSync } from 'node:fs';

const READERS = {
  check: () => ({ passed: 1, failed: 0 }),
  junit(text) {
    // <testsuite tests= failures= disabled= skipped=> (attributes may span several lines).
    const tag = text.match(/<testsuite\b[^>]*>/);
    if (!tag) return null;
    const n = (name) => Number((tag[0].match(new RegExp(`\\s${name}="(\\d+)"`)) ?? [0, 0])[1]);
    return { passed: n('tests') - n('failures') - n('disabled') - n('skipped'), failed: n('failures') };
  },
  jest(text) {
    const r = JSON.parse(text);
    // A suite that cannot even load has no failed test: count it once.
    return { passed: r.numPassedTests, failed: r.numFailedTests + r.numRuntimeErrorTestSuites };
  },
  tap(text) {
    const last = (name) => {
      const all = [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
      return all.length ? Number(all[all.length - 1][1]) : undefined;
    };
    const pass = last('pass');
    if (pass === undefined) return null;
    return { passed: pass, failed: (last('fail') ?? 0) + (last('cancelled') ?? 0) };
  },
  fuzz(text) {
    return {
      passed: (text.match(/^fuzz: \S+ ok\b/gm) ?? []).length,
      failed: (text.match(/^fuzz: \S+ FAILED\b/gm) ?? []).length,
    };
  },
};

/** {name, passed, failed, note} for one manifest line. */
function readStep(line) {
  const [format, name, file, statusText] = line.split('\t');
  const status = Number(statusText);
  const reader = READERS[format];
  if (!reader || !name || !Number.isInteger(status)) return { name: line, passed: 0, failed: 1, note: 'unreadable manifest line' };
  if (format === 'check') return { name, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1 };
  let counts = null;
  try {
    counts = reader(readFileSync(file, 'utf8'));
  } catch {
    counts = null;
  }
  if (!counts) return { name, passed: 0, failed: 1, note: `no results in ${file}` };
  if (status !== 0 && counts.failed === 0) return { name, ...counts, failed: 1, note: `exited ${status} without a failed test` };
  return { name, ...counts };
}

function main(manifest) {
  const lines = readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const steps = lines.map(readStep);
  let passed = 0;
  let failed = 0;
  for (const s of steps) {
    passed += s.passed;
    failed += s.failed;
    console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.note ? ` (${s.note})` : ''}`);
  }
  const bad = steps.filter((s) => s.failed > 0).map((s) => `${s.name} (${s.failed})`);
  if (bad.length) console.log(`failed: ${bad.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv.length !== 3) {
  console.error('usage: node scripts/summary.mjs <manifest.tsv>');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.exit(main(process.argv[2]));
