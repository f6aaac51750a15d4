// Writes a seed corpus for validate_fuzzer from the shared validation fixtures:
// one file per case in the fuzzer's input layout (kind index byte, body, NUL, context).
// Usage: node tests/fuzz/make_seeds.mjs <out-dir>. Bodies over 64 KiB are skipped (the
// fuzzer runs with -max_len=65536; size limits are covered by the unit tests).
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadValidationFixtures, bodyText } from '../js/support/fixtures.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: node tests/fuzz/make_seeds.mjs <out-dir>');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const fixtures = loadValidationFixtures();
const kinds = fixtures.map((f) => f.kind).sort(); // RequestValidator::kinds() is sorted the same way
let n = 0;
for (const { kind, cases } of fixtures) {
  for (const c of cases) {
    const body = Buffer.from(bodyText(c) ?? '', 'utf8');
    const context = Buffer.from(c.context === undefined ? '' : JSON.stringify(c.context), 'utf8');
    if (body.length + context.length > 65535) continue;
    const seed = Buffer.concat([Buffer.from([kinds.indexOf(kind)]), body, Buffer.from([0]), context]);
    writeFileSync(path.join(out, `${kind}-${String(n++).padStart(4, '0')}`), seed);
  }
}
console.log(`make_seeds: ${n} seeds in ${out}`);
