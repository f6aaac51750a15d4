#!/usr/bin/env node
// The `signalkit` command. Subcommands live in COMMANDS; each takes its argv tail and
// returns a promise. Add one (e.g. `validate`) by adding an entry with its help line.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';

const EMULATOR_HELP = `Usage: signalkit emulator [options]

Starts a local emulator of the Puffle partner API and the Saber API (templates and company signals).

Options:
  --port <n>               port to listen on (default 4010; 0 picks a free one)
  --host <addr>            interface to bind (default 127.0.0.1)
  --seed <text>            seed for built-in ids, the signal feed and faults (default signalkit)
  --generate-delay-ms <n>  how long a simulated generation run takes (default 3000)
  --onboarding-step-ms <n> how long a simulated onboarding session spends in each status (default 1500)
  --research-delay-ms <n>  how long simulated company research takes (default: 1000-4000, per domain and question)
  --strict-responses       check every response against the OpenAPI documents (500 on a violation)
  --feed-anchor <iso>      the signal feed covers the 30 days before this instant (default: now)
  --data-file <path>       keep state in this JSON file across restarts
  --keys <k1,k2,...>       accept only these API keys (default: any well-formed key)
  --faults <file.json>     enable fault mode with this configuration ({seed?, rules?})
  --fault-mode             enable fault mode with no random rules (control via POST /__emulator/faults)
  --no-rate-limit          disable the per-key rate limits
  --cors <origin|*>        let a browser page on that origin (or any, with *) call the emulator
  --webhook-retry-scale <x> multiply Svix's webhook retry waits by x, 0 to 1 (default 1; 0.001: minutes become tenths of a second)
  --quiet                  do not log one line per request
  -h, --help               show this help
`;

async function runEmulator(argv, io) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'generate-delay-ms': { type: 'string' },
      'onboarding-step-ms': { type: 'string' },
      'research-delay-ms': { type: 'string' },
      'strict-responses': { type: 'boolean', default: false },
      'feed-anchor': { type: 'string' },
      'data-file': { type: 'string' },
      keys: { type: 'string' },
      faults: { type: 'string' },
      'fault-mode': { type: 'boolean', default: false },
      'no-rate-limit': { type: 'boolean', default: false },
      cors: { type: 'string' },
      'webhook-retry-scale': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) { io.out(EMULATOR_HELP); return 0; }

  const int = (name, text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer (got ${JSON.stringify(text)})`);
    return Number(text);
  };
  const options = {
    port: int('port', values.port),
    host: values.host,
    logger: values.quiet ? undefined : (level, msg) => (level === 'info' ? io.out(msg) : io.err(msg)),
  };
  if (values.seed !== undefined) options.seed = values.seed;
  if (values['generate-delay-ms'] !== undefined) options.generateDelayMs = int('generate-delay-ms', values['generate-delay-ms']);
  if (values['onboarding-step-ms'] !== undefined) options.onboardingStepMs = int('onboarding-step-ms', values['onboarding-step-ms']);
  if (values['research-delay-ms'] !== undefined) options.researchDelayMs = int('research-delay-ms', values['research-delay-ms']);
  if (values['strict-responses']) options.strictResponses = true;
  if (values['feed-anchor'] !== undefined) options.feedAnchor = values['feed-anchor'];
  if (values['data-file'] !== undefined) options.dataFile = values['data-file'];
  if (values.keys !== undefined) options.keys = values.keys.split(',').map((k) => k.trim()).filter(Boolean);
  if (values['no-rate-limit']) options.rateLimits = false;
  if (values.cors !== undefined) options.cors = values.cors === '*' ? true : values.cors;
  if (values['webhook-retry-scale'] !== undefined) {
    const text = values['webhook-retry-scale'];
    if (!/^(0|1|0?\.\d+|1\.0*)$/.test(text)) throw new UsageError(`--webhook-retry-scale must be a number from 0 to 1 (got ${JSON.stringify(text)})`);
    options.webhooks = { retryScale: Number(text) };
  }
  if (values.faults !== undefined) {
    const { readFileSync } = await import('node:fs');
    try {
      options.faults = JSON.parse(readFileSync(values.faults, 'utf8'));
    } catch (err) {
      throw new UsageError(`--faults: cannot read ${values.faults}: ${err.message}`);
    }
  } else if (values['fault-mode']) {
    options.faults = true;
  }

  const { startEmulator, devKeys } = await import('./emulator/index.js');
  const { maskKey } = await import('./vendors/index.js');
  const { PUFFLE } = await import('./vendors/puffle.js');
  const { SABER } = await import('./vendors/saber.js');
  const emu = await startEmulator(options);
  const lines = [
    `signalkit emulator listening on ${emu.url}`,
    `  Puffle base URL: ${emu.url}/api/v1   (company profile: ${emu.url}/api/onboarding, ${emu.url}/api/context)`,
    `  Saber base URL:  ${emu.url}/v1`,
  ];
  if (options.keys) {
    lines.push(`  Accepted keys (only these): ${options.keys.map(maskKey).join(', ')}`);
  } else {
    const dev = devKeys(options.seed);
    lines.push(`  Accepted keys: any well-formed key (Puffle: ${PUFFLE.key.description};`,
      `  Saber: ${SABER.key.description}); each key is its own tenant. Ready-made development keys:`,
      `    Puffle: ${dev.puffle}`,
      `    Saber:  ${dev.saber}`);
  }
  if (options.faults) lines.push(`  Fault mode ON: POST ${emu.url}/__emulator/faults to plan faults`);
  if (options.dataFile) lines.push(`  State file: ${options.dataFile}`);
  if (options.strictResponses) lines.push('  Strict responses ON: each response is checked against its OpenAPI document');
  lines.push(`  OpenAPI documents: ${emu.url}/openapi/puffle.json, ${emu.url}/openapi/saber.json`);
  lines.push(`  Puffle webhooks: PUT ${emu.url}/__emulator/webhook-app {"url": …} with a Puffle key registers an endpoint`,
    `    (the answer shows its signing secret once); POST ${emu.url}/__emulator/signals makes signal.detected events`);
  io.out(lines.join('\n'));

  await new Promise((resolve) => {
    const stop = (signal) => {
      io.err(`received ${signal}, shutting down`);
      emu.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

class UsageError extends Error {}

const VALIDATE_HELP = `Usage: signalkit validate <kind> <file.json | -> [--context <context.json>] [--json]

Checks a request body (or query) offline with the signalkit engine, exactly as the clients
do before sending. The file's text is validated as is. Prints every issue as
"field: code: message"; exits 0 when the body is valid, 1 when it is not, 2 on a usage error.

  <kind>             a validation kind, e.g. puffle.signalType.create, saber.template.update
                     (signalkit validate --kinds lists them)
  <file.json>        the body; - reads standard input
  --context <file>   JSON context: {params, type, types, template} (docs/validation.md)
  --json             print the result as JSON {valid, issues}
  --kinds            list the kinds and exit
  -h, --help         show this help
`;

async function runValidate(argv, io) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      context: { type: 'string' },
      json: { type: 'boolean', default: false },
      kinds: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) { io.out(VALIDATE_HELP); return 0; }
  const { loadEngine } = await import('./load.js');
  const engine = await loadEngine();
  if (values.kinds) { io.out(engine.kinds().join('\n')); return 0; }
  if (positionals.length !== 2) throw new UsageError(`expected <kind> and <file.json> (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}); see --help`);
  const [kind, file] = positionals;
  if (!engine.kinds().includes(kind)) throw new UsageError(`unknown kind ${JSON.stringify(kind)}; one of: ${engine.kinds().join(', ')}`);
  const { readFileSync } = await import('node:fs');
  const read = (path, what) => {
    try {
      return path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the ${what} ${JSON.stringify(path)}: ${err.code ?? err.message}`);
    }
  };
  const text = read(file, 'body file');
  let context;
  if (values.context !== undefined) {
    const ctxText = read(values.context, 'context file');
    try {
      context = JSON.parse(ctxText);
    } catch (err) {
      throw new UsageError(`the context file is not JSON: ${err.message}`);
    }
  }
  // A trailing newline (as editors save files) is not part of the body.
  const body = text.replace(/^\uFEFF/, '').replace(/\s+$/, '');
  const result = engine.validate(kind, body === '' ? undefined : body, context);
  if (values.json) {
    io.out(JSON.stringify({ valid: result.valid, issues: result.issues }, null, 2));
  } else if (result.valid) {
    io.out(`${file === '-' ? 'stdin' : file}: valid ${kind}`);
  } else {
    io.out(`${file === '-' ? 'stdin' : file}: ${result.issues.length} issue${result.issues.length === 1 ? '' : 's'} for ${kind}`);
    for (const i of result.issues) io.out(`  ${i.field || '(body)'}: ${i.code}: ${i.message}`);
  }
  return result.valid ? 0 : 1;
}

const COMMANDS = new Map([
  ['emulator', { run: runEmulator, help: 'start the local Puffle + Saber API emulator' }],
  ['validate', { run: runValidate, help: 'check a request body file offline: validate <kind> <file.json>' }],
]);

function usage() {
  const rows = [...COMMANDS].map(([name, c]) => `  ${name.padEnd(12)}${c.help}`);
  return `Usage: signalkit <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`signalkit <command> --help\` for a command's options.\n`;
}

export async function main(argv, io = { out: (s) => console.log(s), err: (s) => console.error(s) }) {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') { io.out(usage()); return name ? 0 : 2; }
  const command = COMMANDS.get(name);
  if (!command) { io.err(`signalkit: unknown command ${JSON.stringify(name)}\n\n${usage()}`); return 2; }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof TypeError || err.code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.err(`signalkit ${name}: ${err.message}`);
      return 2;
    }
    io.err(`signalkit ${name}: ${err.message}`);
    return 1;
  }
}

// Run when executed (also through the npm bin symlink), not when imported.
const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : '';
if (invoked === import.meta.url) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
