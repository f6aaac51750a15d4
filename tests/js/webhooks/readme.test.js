// The README's "Receiving Puffle webhooks" example runs as written, and prints what the
// README says it prints (the ```text block after it).
import { codeBlocks, readmeSection, runModule } from '../support/readme.js';

test('README: the "Receiving Puffle webhooks" example prints what the README claims', async () => {
  const blocks = codeBlocks(readmeSection('## Receiving Puffle webhooks'));
  expect(blocks.map((b) => b.lang).slice(0, 2)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  expect(await runModule(code.body, { env: { PUFFLE_WEBHOOK_SECRET: undefined } })).toBe(claimed.body);
});
