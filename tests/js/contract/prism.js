// Prism's validation proxy (@stoplight/prism-cli) in front of an upstream server: the
// independent check that requests and responses conform to an OpenAPI document.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/net.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Starts `prism proxy <document> <upstream> --errors`: a request that breaks the document is
 * answered 422 and never forwarded; a response that breaks it becomes a 500
 * (application/problem+json). Resolves to {url, problems(), forget(), close()}: `problems()`
 * lists the warnings and errors Prism logged since the last `forget()` (an undocumented
 * status, for one, is only a warning).
 */
export async function startPrism(document, upstream) {
  const port = await freePort();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/prism'),
    ['proxy', path.join(ROOT, document), upstream, '--errors', '--host', '127.0.0.1', '--port', String(port)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 30 s:\n${log}`)), 30_000);
    const onData = (d) => {
      log += d;
      if (log.includes('Prism is listening')) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => { clearTimeout(timer); reject(new Error(`prism exited (${code}) before listening:\n${log}`)); });
  });
  let from = log.length;
  const problems = () => log.slice(from).split('\n').filter((line) => /warning|✖|error/i.test(line));
  return {
    url: `http://127.0.0.1:${port}`,
    problems,
    /**
     * Resolves to the problems once Prism has logged one. Prism writes its log line after it
     * has answered, so a test that expects a problem must wait for the line, not read at once.
     */
    async problemLogged(waitMs = 20_000) {
      const deadline = Date.now() + waitMs;
      while (problems().length === 0) {
        if (Date.now() > deadline) throw new Error(`Prism logged no problem within ${waitMs} ms:\n${log.slice(from)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return problems();
    },
    forget() { from = log.length; },
    async close() {
      if (child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}
