// import, require and TypeScript users get the same client API: the runtime exports of the
// ESM entry and the CJS bundle, and the classes declared in types/index.d.ts. (The strict
// tsc check of typical client code is tests/types/client-usage.ts, run by scripts/test.sh.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esm from '../../../js/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(import.meta.url);

const CLIENT_EXPORTS = ['PuffleClient', 'SaberClient', 'ApiError', 'AuthenticationError', 'PermissionError', 'NotFoundError',
  'ConflictError', 'PreconditionError', 'RateLimitError', 'ServerError', 'TimeoutError', 'NetworkError', 'AbortError',
  'GenerationTimeoutError', 'ValidationError', 'SignalkitError'];

test('the ESM entry and the CJS bundle export the clients and every error class', () => {
  const cjs = require('../../../dist/index.cjs');
  for (const name of CLIENT_EXPORTS) {
    expect(typeof esm[name]).toBe('function');
    expect(typeof cjs[name]).toBe('function');
  }
  // The family tree is the same on both sides.
  for (const m of [esm, cjs]) {
    expect(new m.NotFoundError('x')).toBeInstanceOf(m.ApiError);
    expect(new m.ApiError('x')).toBeInstanceOf(m.SignalkitError);
    expect(new m.TimeoutError('x')).not.toBeInstanceOf(m.ApiError);
    expect(new m.ValidationError([])).not.toBeInstanceOf(m.ApiError);
    expect(new m.RateLimitError('x').name).toBe('RateLimitError');
  }
});

test('every client class exported at runtime is declared in types/index.d.ts, and the reverse', () => {
  const dts = readFileSync(path.join(root, 'types/index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
  for (const name of CLIENT_EXPORTS) expect(declared).toContain(name);
  for (const name of declared) expect(typeof esm[name]).toBe('function');
});

test('the CJS bundle runs a client against the emulator in plain Node', () => {
  const script = `
    const { PuffleClient } = require('./dist/index.cjs');
    import('./js/emulator/index.js').then(async ({ startEmulator }) => {
      const emu = await startEmulator({ port: 0 });
      const p = new PuffleClient({ apiKey: emu.devKeys.puffle, baseUrl: emu.url + '/api/v1' });
      const types = await p.signalTypes.list();
      let err; try { await p.signalTypes.create({}); } catch (e) { err = e.constructor.name + ' ' + e.fields.length; }
      console.log(JSON.stringify({ types: types.length, err }));
      await emu.close();
    });`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(JSON.parse(out)).toEqual({ types: 4, err: 'ValidationError 5' });
});
