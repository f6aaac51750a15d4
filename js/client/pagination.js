// Async-iterator pagination over either style of page: Puffle's cursor pages and Saber's
// offset pages. A Paginator is lazy: nothing is validated or sent until it is iterated.

/**
 * @template T
 * `fetchPage(state)` returns `{page, items, next}`: the API's response object, its items,
 * and the state of the following page (null at the end).
 */
export class Paginator {
  constructor(fetchPage, initial) {
    this.fetchPage = fetchPage;
    this.initial = initial;
  }

  /** Every page in order: `for await (const page of list.pages())`; each page is the API's response object. */
  async *pages() {
    for await (const { page } of this.walk()) yield page;
  }

  async *walk() {
    let state = this.initial;
    const seen = new Set();
    while (state !== null) {
      const { page, items, next } = await this.fetchPage(state);
      yield { page, items };
      if (next === null) return;
      // A server that hands back a cursor/offset it already gave would loop forever.
      const key = JSON.stringify(next);
      if (seen.has(key)) return;
      seen.add(key);
      state = next;
    }
  }

  /** Every item across pages: `for await (const item of list)`. */
  async *[Symbol.asyncIterator]() {
    for await (const { items } of this.walk()) {
      for (const item of items) yield item;
    }
  }

  /**
   * Collects items into an array, stopping after `limit` items (default: all). Stops
   * fetching pages as soon as it has enough.
   */
  async toArray({ limit = Infinity } = {}) {
    if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
      throw new TypeError(`toArray limit must be a non-negative integer (got ${JSON.stringify(limit)})`);
    }
    const out = [];
    if (limit === 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The first page only (the API's response object). */
  async firstPage() {
    for await (const page of this.pages()) return page;
    return undefined;
  }
}
