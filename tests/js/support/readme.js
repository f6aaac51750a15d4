// The README's code blocks, for the tests that run them as written.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The README's section under `heading` ('## Receiving Puffle webhooks', '### Running a
 * fleet'): its text up to the next heading of the same or a higher level.
 */
export function readmeSection(heading) {
  const markdown = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const level = heading.indexOf(' ');
  const next = new RegExp(`\\n#{1,${level}} `, 'g');
  next.lastIndex = start + 1;
  const end = next.exec(markdown)?.index;
  return markdown.slice(start, end);
}

/** The fenced code blocks of `text`, in order: [{lang, body}]. */
export function codeBlocks(text) {
  return [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
}
