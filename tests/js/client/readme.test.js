// The README's company-profile and research-and-score examples run as written against the
// emulator, and print what the README says they print (the ```text block after each).
import { codeBlocks, readmeSection, runModule } from '../support/readme.js';

test.each([
  ['### The company profile: onboarding and context'],
  ['### Research and score companies'],
])('README: "%s" prints what the README claims', async (heading) => {
  const blocks = codeBlocks(readmeSection(heading));
  expect(blocks.map((b) => b.lang)).toEqual(['js', 'text']);
  const [code, claimed] = blocks;
  expect(await runModule(code.body)).toBe(claimed.body);
});
