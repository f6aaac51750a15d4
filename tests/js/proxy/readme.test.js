// The README's "Low-code pages" proxy example runs as written, and prints what the README
// says it prints (the ```text block after it).
import { codeBlocks, readmeSection, runModule } from '../support/readme.js';

test('README: the "Low-code pages" proxy example prints what the README claims', async () => {
  const blocks = codeBlocks(readmeSection('## Low-code pages: one script tag and a proxy'));
  expect(blocks.map((b) => b.lang)).toEqual(['html', 'js', 'text']);
  const [, code, claimed] = blocks;
  expect(await runModule(code.body)).toBe(claimed.body);
});
