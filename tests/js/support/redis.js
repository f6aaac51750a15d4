// A real redis-server for the tests and the benchmark: Debian's package (installed by
// scripts/bootstrap.sh), started on a free loopback port with no persistence, ready once it
// answers PING, stopped by the caller. No mock and no download.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './net.js';

const BIN = process.env.REDIS_SERVER ?? 'redis-server';

/** True when a redis-server binary is on the PATH (or REDIS_SERVER). */
export function hasRedisServer() {
  return spawnSync(BIN, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Resolves true when a RESP PING on `port` gets +PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (d) => { reply += d; if (reply.includes('\r\n')) done(reply.startsWith('+PONG')); });
  });
}

/**
 * Starts redis-server on 127.0.0.1 and a free port (`port` to reuse one, e.g. after a stop).
 * Resolves with {url, port, stop(), exited()}; its output is kept (never Jest's stdio) and
 * shown if it fails to start.
 */
export async function startRedis({ port } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signalkit-redis-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const p = port ?? await freePort();
    const child = spawn(BIN, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d) => { output = (output + d).slice(-4000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exited = null;
    const exit = new Promise((resolve) => child.once('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
    child.once('error', (err) => { exited = { error: err }; });
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (!exited && !ready && Date.now() < deadline) {
      ready = await ping(p);
      if (!ready) await new Promise((r) => setTimeout(r, 20));
    }
    if (ready && !exited) {
      const stop = async () => {
        if (!exited) { child.kill('SIGTERM'); await exit; }
        rmSync(dir, { recursive: true, force: true });
      };
      return { url: `redis://127.0.0.1:${p}`, port: p, stop, exited: () => exited !== null };
    }
    child.kill('SIGKILL');
    await exit;
    // The port was taken between freePort() and the start: try another one.
    if (port === undefined && /Address already in use/i.test(output)) continue;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`redis-server did not start on port ${p}: ${exited?.error?.message ?? output.trim().split('\n').slice(-3).join(' | ')}`);
  }
  throw new Error('redis-server: no free port after 5 attempts');
}
