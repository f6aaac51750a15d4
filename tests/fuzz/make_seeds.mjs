// Writes a seed corpus for a fuzzer. Usage: node tests/fuzz/make_seeds.mjs <out-dir> [fuzzer].
// - validate_fuzzer (the default): the shared validation fixtures, one file per case in the
//   fuzzer's input layout (kind index byte, body, NUL, context; bodies over 64 KiB are
//   skipped: the fuzzer runs with -max_len=65536), plus recipes (0xFD, kind, bytes).
// - criteria_fuzzer: recipes (a selector with bit 7 set, then bytes).
// A recipe makes the fuzzer build a large input (tests/fuzz/generate.h); the recipes are
// seeded random bytes, the same on every run, so every run starts by reaching the limits.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadValidationFixtures, bodyText } from '../js/support/fixtures.js';

const [out, fuzzer = 'validate_fuzzer'] = process.argv.slice(2);
if (!out || !['validate_fuzzer', 'criteria_fuzzer'].includes(fuzzer)) {
  console.error('usage: node tests/fuzz/make_seeds.mjs <out-dir> [validate_fuzzer|criteria_fuzzer]');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// Enough recipes to reach past every limit (the run checks it), few enough that executing
// them takes a few seconds of the run's 30 (a large input takes ~0.1 s under ASan).
const RECIPES = fuzzer === 'validate_fuzzer' ? 60 : 40;
const RECIPE_BYTES = 48;
let state = 0x9e3779b9;
const random = () => { // xorshift32
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state & 0xff;
};
const recipe = () => Buffer.from(Array.from({ length: RECIPE_BYTES }, random));

let n = 0;
if (fuzzer === 'validate_fuzzer') {
  const fixtures = loadValidationFixtures();
  const kinds = fixtures.map((f) => f.kind).sort(); // RequestValidator::kinds() is sorted the same way
  for (const { kind, cases } of fixtures) {
    for (const c of cases) {
      const body = Buffer.from(bodyText(c) ?? '', 'utf8');
      const context = Buffer.from(c.context === undefined ? '' : JSON.stringify(c.context), 'utf8');
      if (body.length + context.length > 65535) continue;
      const seed = Buffer.concat([Buffer.from([kinds.indexOf(kind)]), body, Buffer.from([0]), context]);
      writeFileSync(path.join(out, `${kind}-${String(n++).padStart(4, '0')}`), seed);
    }
  }
  for (let i = 0; i < RECIPES; i++) {
    writeFileSync(path.join(out, `recipe-${String(i).padStart(3, '0')}`), Buffer.concat([Buffer.from([0xfd, i % kinds.length]), recipe()]));
    n++;
  }
} else {
  for (let i = 0; i < RECIPES; i++) {
    writeFileSync(path.join(out, `recipe-${String(i).padStart(3, '0')}`), Buffer.concat([Buffer.from([0x80 | (i % 32)]), recipe()]));
    n++;
  }
}
console.log(`make_seeds: ${n} seeds in ${out}`);
