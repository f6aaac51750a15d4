// The README's company-profile and research-and-score examples run as written against the
// emulator, and print what the README says they print (the ```text block after each). It runs in plain Node from
// the package root, so 'signalkit' and 'signalkit/emulator' resolve through package.json
// "exports" as for a user.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function subsection(markdown, heading) {
  const start = markdown.indexOf(`\n### ${heading}\n`);
  if (start < 0) throw new Error(`README has no "### ${heading}" section`);
  const end = markdown.slice(start + 1).search(/\n##+ /);
  return markdown.slice(start, end < 0 ? undefined : start + 1 + end);
}

test.each([['The company profile: onboarding and context'], ['Research and score companies']])('README: "%s" prints what the README claims', (heading) => {
  const text = subsection(readFileSync(path.join(root, 'README.md'), 'utf8'), heading);
  const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
  expect(blocks.map((b) => b.lang)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', code.body], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000,
  });
  expect(printed).toBe(claimed.body);
});
