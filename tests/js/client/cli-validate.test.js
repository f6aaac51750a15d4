// `signalkit validate <kind> <file.json>`: offline checks of payload files, exit 0/1/2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'signalkit-validate-'));
const file = (name, text) => { const p = path.join(dir, name); writeFileSync(p, text); return p; };

function cli(args, input) {
  const r = spawnSync(process.execPath, [path.join(root, 'js/cli.js'), 'validate', ...args], { encoding: 'utf8', input, env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a valid body: exit 0', () => {
  const p = file('ok.json', JSON.stringify({ name: 'Layoffs', keywords: ['layoffs'], search_instructions: 's', scoring_criteria: 'c', sources: ['news'] }, null, 2) + '\n');
  const r = cli(['puffle.signalType.create', p]);
  expect(r).toMatchObject({ code: 0, err: '' });
  expect(r.out).toBe(`${p}: valid puffle.signalType.create\n`);
});

test('an invalid body: exit 1 and one line per issue', () => {
  const p = file('bad.json', '{"name": "", "keywords": [], "sources": ["myspace"], "extra": 1}');
  const r = cli(['puffle.signalType.create', p]);
  expect(r.code).toBe(1);
  const lines = r.out.trim().split('\n');
  expect(lines[0]).toBe(`${p}: ${lines.length - 1} issues for puffle.signalType.create`);
  expect(lines).toContain('  name: too_short: name must not be empty.');
  expect(lines.some((l) => l.startsWith('  sources[0]: enum: '))).toBe(true);
  expect(lines.some((l) => l.startsWith('  extra: unknown_field: '))).toBe(true);
});

test('malformed JSON, --json output, stdin and --context', () => {
  const broken = cli(['saber.template.create', file('broken.json', '{"name": "x",')]);
  expect(broken.code).toBe(1);
  expect(broken.out).toMatch(/\(body\): invalid_json: /);

  const json = cli(['saber.template.create', '-', '--json'], '{"name":"n","question":"q","answerType":"number","qualificationCriteria":{"yes":"good"}}');
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.out);
  expect(parsed.valid).toBe(false);
  expect(parsed.issues[0]).toEqual(expect.objectContaining({ field: expect.stringMatching(/^qualificationCriteria/), code: expect.any(String) }));

  // Context rules: renaming a built-in type is refused only when the type is given.
  const patch = file('patch.json', '{"name":"Hiring 2"}');
  const ctx = file('ctx.json', JSON.stringify({ params: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' }, type: { built_in: true, kind: 'structured' } }));
  expect(cli(['puffle.signalType.update', patch, '--context', ctx]).out).toMatch(/name: built_in_locked/);
  const noType = file('ctx2.json', JSON.stringify({ params: { id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } }));
  expect(cli(['puffle.signalType.update', patch, '--context', noType]).code).toBe(0);
});

test('usage errors: exit 2 with a clear message', () => {
  expect(cli(['puffle.signalType.frob', file('x.json', '{}')])).toMatchObject({ code: 2, err: expect.stringMatching(/unknown kind "puffle.signalType.frob"; did you mean puffle.signalType.get\? \(signalkit validate --kinds lists them\)/) });
  expect(cli(['puffle.signalType.create'])).toMatchObject({ code: 2, err: expect.stringMatching(/expected <kind> and <file.json>/) });
  expect(cli(['puffle.signalType.create', path.join(dir, 'missing.json')])).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read the body file .*ENOENT/) });
  expect(cli(['--help']).out).toMatch(/Usage: signalkit validate <kind>/);
  expect(cli(['--kinds']).out.split('\n')).toContain('saber.template.update');
});
