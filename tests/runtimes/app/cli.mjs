// Node ESM, Bun and Deno: runs the flows against the emulator named on the command line
// and prints the result as JSON.
import { flows } from './flows.mjs';

const [emulatorUrl, puffleKey] = (globalThis.Deno?.args ?? globalThis.process.argv.slice(2));
console.log(JSON.stringify(await flows({ emulatorUrl, puffleKey })));
