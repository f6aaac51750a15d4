// What one SaberClient knows of the caller's templates: every version seen in a response,
// and the latest version of each template. An update is checked against the current
// version's answerType; what the client does not know, it leaves to the server.
import { hasId, keyOf } from '../client/resource.js';

export class KnownTemplates {
  #byId = new Map();    // lower-cased version id -> template version seen
  #latest = new Map();  // lower-cased templateId -> latest version seen

  /** Records a template version from a response and returns it. */
  see(template) {
    if (!hasId(template)) return template;
    this.#byId.set(keyOf(template.id), template);
    if (typeof template.templateId === 'string') {
      const key = keyOf(template.templateId);
      const prev = this.#latest.get(key);
      if (!prev || !(prev.version > template.version)) this.#latest.set(key, template);
    }
    return template;
  }

  /** The current (not deleted) version of the template a possibly older version id belongs to. */
  current(id) {
    const v = this.#byId.get(keyOf(id));
    if (!v) return undefined;
    const latest = (typeof v.templateId === 'string' && this.#latest.get(keyOf(v.templateId))) || v;
    return latest.deletedAt === null || latest.deletedAt === undefined ? latest : undefined;
  }

  /** Forgets a version and its template's latest version. */
  forget(id) {
    const v = this.#byId.get(keyOf(id));
    if (v && typeof v.templateId === 'string') this.#latest.delete(keyOf(v.templateId));
    this.#byId.delete(keyOf(id));
  }
}
