// The `signalkit` command's own usage: --version, help, suggestions for mistyped names,
// validate --id, exit 2 for a context the engine cannot use, and a banner printed once.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, spawnEmulator, exited } from './spawn.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(path.join(tmpdir(), 'signalkit-cli-'));
const file = (name, text) => { const p = path.join(dir, name); writeFileSync(p, text); return p; };
const ID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';

test('--version, -v and version print the package version', async () => {
  for (const flag of ['--version', '-v', 'version']) {
    expect(await runCli([flag])).toEqual({ code: 0, stdout: `signalkit ${pkg.version}\n`, stderr: '' });
  }
});

test('help lists the commands; help <command> is <command> --help', async () => {
  const help = await runCli(['help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: signalkit <command> \[options\]/);
  expect(help.stdout).toMatch(/\n {2}emulator {4}start the local/);
  expect(help.stdout).toMatch(/\n {2}validate {4}check a request body/);
  expect(help.stdout).toContain('-v, --version');
  const readme = /Documentation: (\S+README\.md)/.exec(help.stdout)[1];
  expect(readFileSync(readme, 'utf8')).toMatch(/^# signalkit/);
  const sub = await runCli(['help', 'validate']);
  expect(sub.code).toBe(0);
  expect(sub.stdout).toMatch(/^Usage: signalkit validate <kind>/);
  expect(sub.stdout).toContain('--id <id>');
});

test('a mistyped command or kind gets a suggestion and exit 2', async () => {
  const cmd = await runCli(['emulater']);
  expect(cmd.code).toBe(2);
  expect(cmd.stderr).toMatch(/^signalkit: unknown command "emulater"; did you mean emulator\?/);
  const body = file('type.json', '{"name":"x"}');
  const kind = await runCli(['validate', 'puffle.signalType.creat', body]);
  expect(kind.code).toBe(2);
  expect(kind.stderr).toBe('signalkit validate: unknown kind "puffle.signalType.creat"; did you mean puffle.signalType.create? '
    + '(signalkit validate --kinds lists them)\n');
});

test('validate --id gives the path id; a bad id is an issue (exit 1), a context the engine cannot use exits 2', async () => {
  const patch = file('patch.json', '{"name":"Renamed"}');
  // Without the id the path parameter is missing.
  const missing = await runCli(['validate', 'puffle.signalType.update', patch]);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/ {2}id: required: /);
  expect(await runCli(['validate', 'puffle.signalType.update', patch, '--id', ID]))
    .toEqual({ code: 0, stdout: `${patch}: valid puffle.signalType.update\n`, stderr: '' });
  const badId = await runCli(['validate', 'puffle.signalType.update', patch, '--id', 'not-a-uuid']);
  expect(badId.code).toBe(1);
  expect(badId.stdout).toMatch(/ {2}id: pattern: /);
  // --id joins a context file's other members.
  const ctx = file('ctx.json', JSON.stringify({ type: { id: ID, built_in: true, kind: 'structured' } }));
  expect((await runCli(['validate', 'puffle.signalType.update', patch, '--id', ID, '--context', ctx])).stdout).toMatch(/name: built_in_locked/);
  for (const text of ['[1, 2]', '{"types": 5}', '"text"']) {
    const r = await runCli(['validate', 'puffle.signalType.update', patch, '--context', file('bad-ctx.json', text)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^signalkit validate: /);
  }
});

test('the emulator prints "listening" once', async () => {
  const { child, banner } = await spawnEmulator(['--port', '0']);
  try {
    expect(banner().match(/listening/g)).toHaveLength(1);
  } finally {
    child.kill('SIGTERM');
  }
  await exited(child);
}, 30_000);
