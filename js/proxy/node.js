// toNodeHandler: the Fetch API proxy behind Node's http and Express. It turns the incoming
// message into a Request (the body streamed, never buffered whole here), runs the proxy, and
// writes its Response back. It uses the objects Node hands it and imports nothing, so the
// package stays loadable where Node's built-ins are not.

/**
 * `(req, res) => Promise<void>` for `http.createServer(handler)` or Express
 * (`app.use(handler)` / `app.use('/signalkit', handler)` with the proxy's `basePath: '/signalkit'`).
 * The URL the proxy sees is the one the browser asked for (Express's `originalUrl`), so
 * `basePath` is the same wherever the handler is mounted. Mount it before any body parser to
 * have the exact JSON text validated; a body already parsed into an object is validated as
 * `JSON.stringify` writes it.
 * @param {(request: Request) => Promise<Response>} proxy what createProxy returned
 */
export function toNodeHandler(proxy) {
  if (typeof proxy !== 'function') throw new TypeError('toNodeHandler(proxy): pass the handler that createProxy() returned.');
  return async function signalkitNodeHandler(req, res) {
    const gone = new AbortController();
    // The page went away before the answer: stop waiting for the upstream API.
    res.on('close', () => { if (!res.writableFinished) gone.abort(); });
    let response;
    try {
      response = await proxy(toRequest(req, gone.signal));
    } catch (err) {
      // Only a malformed request line or Host header gets here (the proxy answers everything else).
      response = new Response(JSON.stringify({ error: { code: 'bad_request', message: `The request could not be read: ${err.message}`, source: 'proxy' } }),
        { status: 400, headers: { 'content-type': 'application/json; charset=utf-8' } });
    }
    if (res.headersSent || res.destroyed) return;
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    // A body the proxy refused to read to the end is not drained: close once answered.
    if (req.complete === false) {
      res.setHeader('connection', 'close');
      res.on('finish', () => req.destroy());
    }
    res.end(response.body === null ? undefined : new Uint8Array(await response.arrayBuffer()));
  };
}

function toRequest(req, signal) {
  const scheme = req.socket?.encrypted ? 'https' : 'http';
  const url = new URL(req.originalUrl ?? req.url, `${scheme}://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const init = { method: req.method, headers, signal };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const given = req.body;
    // Express 4's json() leaves `{}` on requests that had no body at all.
    const sent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (given !== undefined && sent) {
      // A body parser ran first: use what it kept.
      init.body = typeof given === 'string' || given instanceof Uint8Array ? given : JSON.stringify(given);
    } else if (given === undefined && !req.readableEnded) {
      init.body = streamOf(req);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

// The message as a ReadableStream that pulls from it (backpressure), and stops reading when
// the proxy stops (it reads at most its limit).
function streamOf(req) {
  let finished = false;
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        if (finished) return;
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (controller.desiredSize <= 0) req.pause();
      });
      req.on('end', () => { if (!finished) { finished = true; controller.close(); } });
      req.on('error', (err) => { if (!finished) { finished = true; controller.error(err); } });
      req.pause();
    },
    pull() { req.resume(); },
    cancel() { finished = true; req.pause(); },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength });
}
