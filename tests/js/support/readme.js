// The README's code blocks, for the tests that run them as written: every README test finds
// its section with readmeSection(), takes its fenced blocks with codeBlocks(), and runs them
// with run() or runModule() in plain Node, as a user would (not under Jest's flags).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The README's section under `heading` ('## Receiving Puffle webhooks', '### The company
 * profile: onboarding and context'): its text up to the next heading of the same or a
 * higher level.
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

/** The fenced code blocks of `text` (fences at the start of a line), in order: [{lang, body}]. */
export function codeBlocks(text) {
  return [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)].map(([, lang, body]) => ({ lang, body }));
}

/**
 * Runs `command` with `args` in `cwd` (default: the package root, where 'signalkit' and its
 * subpaths resolve through package.json "exports") and resolves with what it printed on
 * stdout; rejects with its stderr when it fails. The environment is this process's without
 * Jest's NODE_OPTIONS, with `env` on top (a name set to undefined is removed).
 */
export async function run(command, args, { cwd = ROOT, env = {}, timeout = 60_000 } = {}) {
  const childEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const { stdout } = await promisify(execFile)(command, args, { cwd, env: childEnv, timeout, encoding: 'utf8' });
  return stdout;
}

/** Runs a README js block as an ES module in plain Node (options as for run()); resolves with its stdout. */
export function runModule(code, options) {
  return run(process.execPath, ['--input-type=module', '-e', code], options);
}
