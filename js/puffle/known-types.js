// What one PuffleClient knows of the caller's signal types: the latest version of each type
// seen in a response, and whether a full list() made that the caller's whole list. Calls
// pass it to the engine as context (the cap of 20 and unique names need the whole list; the
// built-in, keyword and config_schema rules need the type). What the client does not know,
// it leaves to the server.
import { hasId, idOf, keyOf, withId } from '../client/resource.js';

export class KnownTypes {
  #types = new Map(); // lower-cased id -> the latest type seen
  #complete = false;
  #onSee;

  /** `onSee(type)` runs for every type seen (the generation runs watch for their result). */
  constructor(onSee) {
    this.#onSee = onSee;
  }

  /** Records a type from a response and returns it. */
  see(type) {
    if (!hasId(type)) return type;
    this.#types.set(keyOf(type.id), type);
    this.#onSee?.(type);
    return type;
  }

  /** After a full list(): exactly these types, and the list is complete. */
  replaceAll(types) {
    this.#types.clear();
    types.forEach((t) => this.see(t));
    this.#complete = true;
  }

  forget(id) {
    this.#types.delete(keyOf(id));
  }

  get(id) {
    return this.#types.get(keyOf(id));
  }

  /** The caller's whole list, or undefined when no full list() has been seen. */
  all() {
    return this.#complete ? [...this.#types.values()] : undefined;
  }

  /** Every type seen, and whether that is the whole list. */
  snapshot() {
    return { types: [...this.#types.values()], complete: this.#complete };
  }

  clear() {
    this.#types.clear();
    this.#complete = false;
  }

  /**
   * The id and engine context for a call on one type: its params, the type (passed as the
   * argument, as `options.type`, or the last one seen) and, `withList`, the whole list.
   */
  context(idOrType, options, withList) {
    const id = idOf(idOrType);
    const type = options?.type ?? withId(idOrType) ?? this.get(id);
    const context = { params: { id } };
    if (type) context.type = type;
    if (withList) {
      const types = this.all();
      if (types) context.types = types;
    }
    return { id, context };
  }
}
