// Preloaded (node --import) into a README example that talks to the vendors' real APIs, so
// that it runs as written against the local emulator instead: requests to Puffle's and
// Saber's origins go to the emulator at SIGNALKIT_README_EMULATOR, and the API keys the
// example reads from the environment are the emulator's development keys (set by the test).
const target = process.env.SIGNALKIT_README_EMULATOR;
if (!target) throw new Error('readme-vendors: SIGNALKIT_README_EMULATOR is not set');
const ORIGINS = ['https://app.puffle.ai', 'https://api.saber.app'];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
  const origin = ORIGINS.find((o) => url.startsWith(`${o}/`));
  return realFetch(origin ? target + url.slice(origin.length) : input, init);
};
