// The webhook automation example (demo/automation/webhooks.js) runs end to end: against an
// emulator it starts itself (the one-command path), and against one this test starts, whose
// delivery log and request log show every event delivered once and the feedback given.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { devKeys } from '../../../js/emulator/index.js';
import { start } from '../emulator/helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['demo/automation/webhooks.js', ...args],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Six drawn posts, two of our own (one with its keyword only in the text), one research run.
const expectSummary = (summary) => {
  expect(summary).toEqual({ events: 9, signals: 8, positive: expect.any(Number), negative: expect.any(Number), research: 1 });
  expect(summary.positive + summary.negative).toBe(8);
  expect(summary.negative).toBeGreaterThanOrEqual(1); // "Kestrel Logistics: quarterly update": no keyword in the headline
  expect(summary.positive).toBeGreaterThanOrEqual(1);
};

test('node demo/automation/webhooks.js receives verified events from its own emulator', async () => {
  const r = await run(['--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expectSummary(JSON.parse(r.stdout.trim().split('\n').at(-1)));
}, 60_000);

test('--url: every event delivered once, feedback given through the client for each signal', async () => {
  const lines = [];
  const emu = await start({ webhooks: { retryScale: 0.001 }, logger: (level, message) => lines.push(message) });
  try {
    const r = await run(['--url', emu.url]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/→ no keyword of ours → feedback negative/);
    expect(r.stdout).toMatch(/→ matches Layoffs \("layoffs"\) → feedback positive/);
    const done = /Done: (\d+) events, (\d+) signals \((\d+) positive, (\d+) negative\), (\d+) research/.exec(r.stdout);
    const [events, signals, positive, negative, research] = done.slice(1).map(Number);
    expectSummary({ events, signals, positive, negative, research });

    const res = await fetch(`${emu.url}/__emulator/webhook-app/deliveries`, { headers: { authorization: `Bearer ${devKeys().puffle}` } });
    const { deliveries } = await res.json();
    expect(deliveries).toHaveLength(9);
    for (const d of deliveries) {
      expect(d.status).toBe('delivered');
      expect(d.attempts.map((a) => [a.status, JSON.parse(a.response)])).toEqual([[200, { received: true }]]);
    }
    expect(lines.filter((l) => /^POST \/api\/v1\/signals\/[0-9a-f-]{36}\/feedback 200 /.test(l))).toHaveLength(8);
  } finally {
    await emu.close(); // strict: fails the test if any response broke the OpenAPI document
  }
}, 60_000);
