// The README's "Receiving Puffle webhooks" example runs as written, and prints what the
// README says it prints (the ```text block after it). It runs in plain Node from the package
// root, so 'signalkit/webhooks' resolves through package.json "exports" as for a user.
import { execFileSync } from 'node:child_process';
import { codeBlocks, readmeSection, ROOT } from '../support/readme.js';

test('README: the "Receiving Puffle webhooks" example prints what the README claims', () => {
  const blocks = codeBlocks(readmeSection('## Receiving Puffle webhooks'));
  expect(blocks.map((b) => b.lang).slice(0, 2)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  const env = { ...process.env, NODE_OPTIONS: '' };
  delete env.PUFFLE_WEBHOOK_SECRET;
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', code.body], {
    cwd: ROOT, encoding: 'utf8', env, timeout: 30_000,
  });
  expect(printed).toBe(claimed.body);
});
