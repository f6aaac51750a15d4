// A page that calls the Puffle API at `?api=` and records how the call failed, for the
// browser's two indistinguishable failures: a CORS refusal and a port where nothing listens.
import { PuffleClient } from 'signalkit';

const api = new URLSearchParams(location.search).get('api');
const puffle = new PuffleClient({ apiKey: `pk_live_${'a'.repeat(64)}`, baseUrl: api, maxRetries: 0, dangerouslyAllowBrowser: true });
puffle.signalTypes.list().then(
  () => { window.__result = { error: 'none' }; },
  (err) => { window.__result = { error: `${err.name}: ${err.message}` }; },
);
