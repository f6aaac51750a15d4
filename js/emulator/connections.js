// Who holds a connection, and for how long: the emulator's defence against clients that
// open sockets and do not use them (silent, slow or idle), so that it keeps serving while
// flooded. node:http bounds a request once its first byte arrives (headersTimeout,
// requestTimeout) and an idle keep-alive connection (keepAliveTimeout); this bounds the
// rest:
//   - a connection must complete its first request's headers within `firstRequestMs`
//     (a socket that sent nothing is closed then; one that sent part of a request is
//     answered 408 first, as node:http answers slow headers);
//   - at most `max` connections in all and `perClient` from one address. A new connection
//     past either cap closes the oldest idle one (no request in flight) of that scope; when
//     every one is busy, the new connection is answered 503 with Retry-After and closed.
// docs/emulator.md ("Connections") and docs/limits.md list the defaults.
import { puffleErrorCode } from '../vendors/puffle.js';

// Before a request is read there is no provider to answer for: Puffle's body, as for 404s.
const REFUSED_BODY = JSON.stringify({ error: { code: puffleErrorCode(503), message: 'the emulator is at its connection limit; retry soon' } });
const REFUSED = Buffer.from('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n'
  + `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${REFUSED_BODY.length}\r\n\r\n${REFUSED_BODY}`);
const TIMED_OUT = Buffer.from('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');

export class ConnectionGuard {
  #max;
  #perClient;
  #firstRequestMs;
  #log;
  #open = new Map(); // socket -> {client, requests, timer}, oldest connection first
  #perAddress = new Map(); // client address -> open connections
  #refused = new WeakSet();

  /** @param {{max: number, perClient: number, firstRequestMs: number, log: Function}} o */
  constructor({ max, perClient, firstRequestMs, log }) {
    this.#max = max;
    this.#perClient = perClient;
    this.#firstRequestMs = firstRequestMs;
    this.#log = log;
  }

  /** Watches `server`'s connections and requests. */
  attach(server) {
    server.on('connection', (socket) => this.#admit(socket));
    // Before the request handler, so that a request is counted from its first moment.
    server.prependListener('request', (req, res) => this.#busy(req.socket, res));
  }

  /** Whether a request arrived on a connection this guard answered 503 (not to be served). */
  refused(socket) {
    return this.#refused.has(socket);
  }

  /** Open connections (for tests and the health check). */
  get size() {
    return this.#open.size;
  }

  #admit(socket) {
    const client = socket.remoteAddress ?? '';
    if (this.#open.size >= this.#max && !this.#evict(null)) return this.#refuse(socket, 'in all');
    if ((this.#perAddress.get(client) ?? 0) >= this.#perClient && !this.#evict(client)) return this.#refuse(socket, `from ${client}`);
    const state = { client, requests: 0, timer: null, gone: false };
    this.#open.set(socket, state);
    this.#perAddress.set(client, (this.#perAddress.get(client) ?? 0) + 1);
    state.timer = setTimeout(() => {
      if (state.requests > 0) return;
      // Nothing in time: close. Part of a request: say why first.
      if (socket.bytesRead > 0 && socket.writable) {
        socket.end(TIMED_OUT, () => socket.destroy());
        setTimeout(() => socket.destroy(), 1000).unref(); // a client that does not read
      } else {
        socket.destroy();
      }
      this.#forget(socket, state);
    }, this.#firstRequestMs);
    state.timer.unref();
    socket.once('close', () => this.#forget(socket, state));
    return undefined;
  }

  // Called at once when evicting ('close' comes a tick later; the caps must see the room).
  #forget(socket, state) {
    if (state.gone) return;
    state.gone = true;
    clearTimeout(state.timer);
    this.#open.delete(socket);
    const n = this.#perAddress.get(state.client) - 1;
    if (n > 0) this.#perAddress.set(state.client, n); else this.#perAddress.delete(state.client);
  }

  #busy(socket, res) {
    const state = this.#open.get(socket);
    if (!state) return;
    clearTimeout(state.timer); // the first request arrived; node:http bounds the rest
    state.requests++;
    res.once('close', () => { state.requests--; });
  }

  // Closes the oldest idle connection (of `client`, or of anyone); false when all are busy.
  #evict(client) {
    for (const [socket, state] of this.#open) {
      if (state.requests === 0 && (client === null || state.client === client)) {
        socket.destroy();
        this.#forget(socket, state);
        return true;
      }
    }
    return false;
  }

  #refuse(socket, scope) {
    this.#refused.add(socket);
    socket.on('error', () => {});
    socket.end(REFUSED);
    setTimeout(() => socket.destroy(), 1000).unref();
    this.#log('warn', `connection refused: ${this.#open.size} open, every one busy (limit ${scope})`);
  }
}
