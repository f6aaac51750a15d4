// Reading a request body under a byte limit, as text for the engine. The engine refuses
// bodies over MAX_BODY_BYTES itself (`too_large`); reading stops one byte past that, so a
// huge body costs at most the limit in memory and never enters the engine whole.

/**
 * The body of a Fetch API Request: `{text}` (undefined when there is none), `{text, cut:
 * true}` when it was longer than `limit` (the first limit + 1 bytes), or `{notUtf8: true}`.
 */
export async function readBody(request, limit) {
  if (request.body === null) return { text: undefined };
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit + 1 - size;
    chunks.push(value.byteLength > room ? value.subarray(0, room) : value);
    size += Math.min(value.byteLength, room);
    if (size > limit) {
      cut = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  if (size === 0) return { text: undefined };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  // A cut body may end inside a character; it is refused for its size whatever it holds.
  if (cut) return { text: new TextDecoder().decode(bytes), cut };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { notUtf8: true };
  }
}

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`, any parameters). */
export function isJsonType(contentType) {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type);
}
