// The README's company-profile example runs as written against the emulator, and prints
// what the README says it prints (the ```text block after it).
import { codeBlocks, readmeSection, runModule } from '../support/readme.js';

test('README: "The company profile: onboarding and context" prints what the README claims', async () => {
  const blocks = codeBlocks(readmeSection('### The company profile: onboarding and context'));
  expect(blocks.map((b) => b.lang)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  expect(await runModule(code.body)).toBe(claimed.body);
});
