// `signalkit emulator` as a user runs it.
import { exited, runCli, spawnEmulator } from './spawn.js';
import { eventually, puffleKey, saberKey } from './helpers.js';

test('prints its URL and ready-made keys that work, and stops on SIGTERM', async () => {
  const { child, url, banner } = await spawnEmulator(['--port', '0', '--quiet']);
  try {
    const text = banner();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pk = /Puffle: (pk_live_[0-9a-f]{64})/.exec(text)[1];
    const sk = /Saber: {2}(sk_live_\S+)/.exec(text)[1];
    expect(text).toContain('any well-formed key');
    const p = await fetch(`${url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${pk}` } });
    expect(p.status).toBe(200);
    const s = await fetch(`${url}/v1/companies/signals/templates`, { headers: { authorization: `Bearer ${sk}` } });
    expect(s.status).toBe(200);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited(child)).toBe(0);
}, 30_000);

test('--keys restricts access and prints the keys masked', async () => {
  const key = puffleKey('cli-only');
  const { child, url, banner } = await spawnEmulator(['--port', '0', '--quiet', '--keys', key, '--cors', '*']);
  try {
    expect(banner()).toContain(key.slice(0, 24));
    expect(banner()).not.toContain(key);
    const ok = await fetch(`${url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${key}`, origin: 'http://demo.test' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect((await fetch(`${url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${puffleKey('other')}` } })).status).toBe(401);
  } finally {
    child.kill('SIGTERM');
  }
  await exited(child);
}, 30_000);

test('logs one line per request with the key masked', async () => {
  const key = puffleKey('cli-log');
  const { child, url, banner } = await spawnEmulator(['--port', '0']);
  try {
    await fetch(`${url}/api/v1/signals/types`, { headers: { authorization: `Bearer ${key}` } });
    await eventually(() => /GET \/api\/v1\/signals\/types 200/.test(banner()));
    expect(banner()).toMatch(/GET \/api\/v1\/signals\/types 200 \d+ms key=pk_live_[0-9a-f]{16}…/);
    expect(banner()).not.toContain(key.slice(0, 25));
  } finally {
    child.kill('SIGTERM');
  }
  await exited(child);
}, 30_000);

test('help, unknown commands and bad options', async () => {
  const help = await runCli(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/emulator/);
  const emuHelp = await runCli(['emulator', '--help']);
  expect(emuHelp.code).toBe(0);
  expect(emuHelp.stdout).toMatch(/--data-file/);
  const unknown = await runCli(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  const badPort = await runCli(['emulator', '--port', 'abc']);
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toMatch(/--port must be a non-negative integer/);
  const badFlag = await runCli(['emulator', '--colour']);
  expect(badFlag.code).toBe(2);
  const badAnchor = await runCli(['emulator', '--port', '0', '--feed-anchor', 'someday']);
  expect(badAnchor.code).toBe(2);
  expect(badAnchor.stderr).toMatch(/feedAnchor/);
  const badKey = await runCli(['emulator', '--port', '0', '--keys', 'sk_live_has space']);
  expect(badKey.code).toBe(2);
  expect(badKey.stderr).toMatch(/keys\[0\]/);
}, 30_000);

test('--strict-responses, --onboarding-step-ms and --research-delay-ms reach the emulator; the banner names the documents', async () => {
  const key = puffleKey('cli-strict');
  const { child, url, banner } = await spawnEmulator(['--port', '0', '--quiet', '--strict-responses', '--onboarding-step-ms', '5', '--research-delay-ms', '7']);
  try {
    expect(banner()).toContain('Strict responses ON');
    expect(banner()).toContain(`${url}/openapi/puffle.json`);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const { sessionId } = await (await fetch(`${url}/api/onboarding/start-scraping`, { method: 'POST', headers, body: '{"website":"acme.com"}' })).json();
    const done = await eventually(async () => {
      const { session } = await (await fetch(`${url}/api/onboarding/status?sessionId=${sessionId}`, { headers })).json();
      return session.status === 'completed' ? session : null;
    });
    expect(done.companyName).toBe('Acme');
    const saber = { authorization: `Bearer ${saberKey('cli-strict')}`, 'content-type': 'application/json' };
    const signal = await (await fetch(`${url}/v1/companies/signals/sync`, { method: 'POST', headers: saber,
      body: '{"domain":"acme.com","question":"How many employees?","answerType":"number"}' })).json();
    expect(Date.parse(signal.completedAt) - Date.parse(signal.createdAt)).toBe(7);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited(child)).toBe(0);
}, 30_000);

test('--webhook-retry-scale scales the retries of webhook deliveries; the banner says how to register', async () => {
  const key = puffleKey('cli-webhooks');
  const http = await import('node:http');
  let n = 0;
  const receiver = http.createServer((req, res) => { n += 1; req.resume(); res.writeHead(n < 3 ? 500 : 204).end(); });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { child, url, banner } = await spawnEmulator(['--port', '0', '--quiet', '--webhook-retry-scale', '0.001']);
  try {
    expect(banner()).toContain(`PUT ${url}/__emulator/webhook-app`);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const put = await fetch(`${url}/__emulator/webhook-app`, { method: 'PUT', headers, body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/` }) });
    expect(put.status).toBe(200);
    await fetch(`${url}/__emulator/signals`, { method: 'POST', headers, body: '{}' });
    // Svix's third attempt waits 5 minutes: scaled, 300 ms.
    const [record] = await eventually(async () => {
      const { deliveries } = await (await fetch(`${url}/__emulator/webhook-app/deliveries`, { headers })).json();
      return deliveries[0]?.status === 'delivered' ? deliveries : null;
    });
    expect(record.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
  } finally {
    child.kill('SIGTERM');
    receiver.close();
  }
  expect(await exited(child)).toBe(0);
  const bad = await runCli(['emulator', '--port', '0', '--webhook-retry-scale', '2']);
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--webhook-retry-scale must be a number from 0 to 1 (got "2")')]);
}, 30_000);
