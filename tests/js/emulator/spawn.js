// Runs `signalkit emulator` (js/cli.js) as a child process for the CLI and crash tests.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../js/cli.js', import.meta.url));

// Resolves `ready(url, out, err)`'s answer once `child` prints "listening on <url>" and
// `complete(out)` says the rest of what it prints at start is there; rejects when it exits
// first or says nothing of the kind within 20 s (then it is killed).
function whenListening(child, complete, ready) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`emulator did not start: ${out}${err}`)); }, 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && complete(out)) {
        clearTimeout(timer);
        resolve(ready(m[1], () => out, () => err));
      }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited with ${code}: ${out}${err}`)); });
  });
}

/** Starts the CLI; resolves {child, url, banner} once it prints its URL. */
export function spawnEmulator(args) {
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Wait for the whole banner (it ends with the keys or state file lines).
  return whenListening(child, (out) => /(Saber: |only these|State file)/.test(out),
    (url, banner, stderr) => new Promise((resolve) => setTimeout(() => resolve({ child, url, banner, stderr }), 20)));
}

/** Runs the CLI to completion; resolves {code, stdout, stderr}. */
export function runCli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const exited = (child) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
  else child.once('exit', (code, signal) => resolve(code ?? signal));
});

const EMULATOR = fileURLToPath(new URL('../../../js/emulator/index.js', import.meta.url));

/**
 * Starts an emulator with `options` in a child process that may open at most `fdLimit`
 * files, as on many systems; resolves {child, url, pid}. (bash's ulimit -n sets the hard
 * limit too: node raises its soft limit to the hard one at start.)
 */
export function spawnLimitedEmulator(options, fdLimit) {
  const script = `import(${JSON.stringify(EMULATOR)}).then((m) => m.startEmulator(${JSON.stringify(options)}))`
    + '.then((emu) => console.log(`listening on ${emu.url}`))';
  const child = spawn('bash', ['-c', `ulimit -n ${fdLimit} && exec "$0" --input-type=module -e "$1"`, process.execPath, script],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  return whenListening(child, () => true, (url) => ({ child, url, pid: child.pid }));
}
