// The README's "Receiving Puffle webhooks" example runs as written, and prints what the
// README says it prints (the ```text block after it). It runs in plain Node from the package
// root, so 'signalkit/webhooks' resolves through package.json "exports" as for a user.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function section(markdown, heading) {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

test('README: the "Receiving Puffle webhooks" example prints what the README claims', () => {
  const text = section(readFileSync(path.join(root, 'README.md'), 'utf8'), 'Receiving Puffle webhooks');
  const blocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
  expect(blocks.map((b) => b.lang).slice(0, 2)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  const env = { ...process.env, NODE_OPTIONS: '' };
  delete env.PUFFLE_WEBHOOK_SECRET;
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', code.body], {
    cwd: root, encoding: 'utf8', env, timeout: 30_000,
  });
  expect(printed).toBe(claimed.body);
});
