// The README's "Running a fleet" example runs as written against a real redis-server and
// prints what the README says it prints. Its two files are written into a folder inside the
// package (git-ignored test-results/), so 'signalkit', 'signalkit/redis' and
// 'signalkit/emulator' resolve through package.json "exports" as for a user.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeBlocks, readmeSection, ROOT, run } from '../support/readme.js';
import { hasRedisServer, startRedis } from '../support/redis.js';

if (!hasRedisServer()) throw new Error('redis-server is not installed: run scripts/bootstrap.sh (Debian package redis-server)');

test('README: the "Running a fleet" example (worker.js, fleet.js) prints what the README claims', async () => {
  const blocks = codeBlocks(readmeSection('## Running a fleet'));
  expect(blocks.map((b) => b.lang)).toEqual(['js', 'js', 'text']);
  const [worker, fleet, claimed] = blocks;
  const dir = path.join(ROOT, 'test-results', `readme-fleet-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'worker.js'), worker.body);
  writeFileSync(path.join(dir, 'fleet.js'), fleet.body);
  const redis = await startRedis();
  try {
    const env = { REDIS_URL: redis.url, PUFFLE_API_KEY: undefined, PUFFLE_BASE_URL: undefined };
    expect(await run(process.execPath, ['fleet.js'], { cwd: dir, env })).toBe(claimed.body);
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
