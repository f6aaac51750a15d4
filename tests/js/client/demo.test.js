// The Node automation example runs end to end against an emulator it starts itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('node demo/automation/index.js completes against its own emulator', () => {
  const r = spawnSync(process.execPath, ['demo/automation/index.js', '--quiet'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1));
  expect(summary).toEqual({ keywords: expect.any(Number), signals: 100, templates: 1, scored: 3 });
  expect(summary.keywords).toBeGreaterThanOrEqual(10);
}, 90_000);
