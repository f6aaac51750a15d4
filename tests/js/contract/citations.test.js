// The contract lives in docs/contract.md and the OpenAPI documents: nothing in the
// repository may send a maintainer to files outside it (a private SPEC.md or DESIGN.md, a
// ../shared folder).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CITATION = /\bSPEC(?:\.md)?\b|DESIGN\.md|\.\.\/shared\b/;

test('no tracked file cites SPEC, DESIGN.md or ../shared', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean)
    .filter((f) => !/\.(png|jpe?g|wasm|ico)$/.test(f) && f !== 'tests/js/contract/citations.test.js'); // this file names them
  expect(files.length).toBeGreaterThan(100);
  const hits = [];
  for (const f of files) {
    readFileSync(path.join(ROOT, f), 'utf8').split('\n').forEach((line, i) => {
      if (CITATION.test(line)) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  expect(hits).toEqual([]);
});
