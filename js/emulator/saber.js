// Saber signal templates: per-tenant versioned state and route handlers. Every request
// rule comes from the engine (`enforce`).
import { enforce } from './errors.js';
import { typedQuery } from '../util/query.js';
import { newUuid } from './util.js';
import { SABER, SABER_PATHS, TEMPLATE_DEFAULTS } from '../vendors/saber.js';

const FIELDS = ['name', 'description', 'question', 'answerType', 'outputSchema', 'weight', 'qualificationCriteria'];

// Version records by id, in creation order, remembering which were written since the last
// commit (state.js journals just those: a write costs what it changes).
class VersionMap extends Map {
  changed = new Set();

  set(id, record) {
    this.changed?.add(id);
    return super.set(id, record);
  }
}

export class SaberTenant {
  constructor(tenantId, saved) {
    this.id = tenantId;
    this.organizationId = `org_${tenantId.slice(0, 12)}`;
    this.userId = `user_${tenantId.slice(12, 24)}`;
    this.versions = new VersionMap();  // version id -> record, in creation order
    this.templates = new Map();  // templateId -> [version ids], oldest first
    if (saved) {
      for (const v of saved.versions) {
        this.versions.set(v.id, v);
        if (!this.templates.has(v.templateId)) this.templates.set(v.templateId, []);
        this.templates.get(v.templateId).push(v.id);
      }
      this.takeChanged();
    }
  }

  /**
   * The latest version of a template; a write that asks for it may change it (deletedAt), so
   * it is counted as written (state.js forgets this before each request: reads cost nothing).
   */
  latest(templateId) {
    const ids = this.templates.get(templateId);
    const id = ids[ids.length - 1];
    this.versions.changed.add(id);
    return this.versions.get(id);
  }

  /** The ids of the versions written since the last call. */
  takeChanged() {
    const ids = [...this.versions.changed];
    this.versions.changed.clear();
    return ids;
  }

  toJSON() {
    return { versions: [...this.versions.values()] };
  }
}

// Served at the path of the vendor's own base URL.
const MOUNT = new URL(SABER.baseUrl).pathname; // /v1
const BASE = `${MOUNT}${SABER_PATHS.templates}`;
/** Where the Saber routes live: requests under `base` are Saber's. */
export const SABER_MOUNT = Object.freeze({ base: MOUNT });

/** The Saber routes. `app` is the emulator's state (state.js): engine and now(). */
export function saberRoutes(app) {
  const { engine } = app;
  const find = (tenant, id) => (typeof id === 'string' ? tenant.versions.get(id.toLowerCase()) ?? null : null);
  const now = () => new Date(app.now()).toISOString();

  return [
    {
      method: 'GET', path: BASE, name: 'saber.template.list',
      handle: (ctx) => {
        const text = typedQuery(ctx.url.searchParams, { integers: ['limit', 'offset'], booleans: ['includeDeleted'] });
        enforce(engine, 'saber.template.list', text, undefined);
        const q = JSON.parse(text);
        const limit = q.limit ?? 20;
        const offset = q.offset ?? 0;
        // The latest version of each template; soft-deleted templates only with
        // includeDeleted. Superseded versions are never listed (docs/contract.md).
        const all = [];
        for (const templateId of ctx.tenant.templates.keys()) {
          const latest = ctx.tenant.latest(templateId);
          if (latest.deletedAt === null || q.includeDeleted) all.push(latest);
        }
        const items = all.slice(offset, offset + limit);
        return { status: 200, body: { items, total: all.length, limit, offset, hasMore: offset + items.length < all.length } };
      },
    },
    {
      method: 'POST', path: BASE, name: 'saber.template.create', write: true,
      handle: (ctx) => {
        enforce(engine, 'saber.template.create', ctx.body, undefined);
        const b = JSON.parse(ctx.body);
        const id = newUuid();
        const record = {
          id,
          templateId: id,
          version: 1,
          organizationId: ctx.tenant.organizationId,
          name: b.name,
          description: b.description ?? '',
          question: b.question,
          answerType: b.answerType ?? TEMPLATE_DEFAULTS.answerType,
          outputSchema: b.outputSchema ?? {},
          weight: b.weight ?? TEMPLATE_DEFAULTS.weight,
          qualificationCriteria: b.qualificationCriteria ?? {},
          createdByUserId: ctx.tenant.userId,
          createdAt: now(),
          deletedAt: null,
          source: 'api',
        };
        ctx.tenant.versions.set(id, record);
        ctx.tenant.templates.set(id, [id]);
        return { status: 201, body: record, mutated: true };
      },
    },
    {
      method: 'GET', path: `${BASE}/:id`, name: 'saber.template.get',
      handle: (ctx) => {
        const record = find(ctx.tenant, ctx.params.id);
        enforce(engine, 'saber.template.get', ctx.body, { params: ctx.params }, { exists: !!record, what: 'template' });
        // A templateId names the template: its latest version. Any other id names that version.
        const isTemplateId = ctx.tenant.templates.has(record.id);
        return { status: 200, body: isTemplateId ? ctx.tenant.latest(record.id) : record };
      },
    },
    {
      method: 'PATCH', path: `${BASE}/:id`, name: 'saber.template.update', write: true,
      handle: (ctx) => {
        const found = find(ctx.tenant, ctx.params.id);
        const current = found ? ctx.tenant.latest(found.templateId) : null;
        const live = current && current.deletedAt === null;
        enforce(engine, 'saber.template.update', ctx.body, live ? { params: ctx.params, template: current } : { params: ctx.params },
          { exists: live, what: 'template' });
        const b = JSON.parse(ctx.body);
        const next = { ...current };
        for (const field of FIELDS) {
          if (Object.prototype.hasOwnProperty.call(b, field)) next[field] = b[field];
        }
        // A new answerType makes the old criteria and output schema meaningless unless
        // the patch gives new ones.
        if (next.answerType !== current.answerType) {
          if (!Object.prototype.hasOwnProperty.call(b, 'qualificationCriteria')) next.qualificationCriteria = {};
          if (next.answerType !== 'json_schema' && !Object.prototype.hasOwnProperty.call(b, 'outputSchema')) next.outputSchema = {};
        }
        const stamp = now();
        next.id = newUuid();
        next.version = current.version + 1;
        next.createdAt = stamp;
        next.deletedAt = null;
        current.deletedAt = stamp;
        ctx.tenant.versions.set(next.id, next);
        ctx.tenant.templates.get(current.templateId).push(next.id);
        return { status: 200, body: next, mutated: true };
      },
    },
    {
      method: 'DELETE', path: `${BASE}/:id`, name: 'saber.template.delete', write: true,
      handle: (ctx) => {
        const found = find(ctx.tenant, ctx.params.id);
        enforce(engine, 'saber.template.delete', ctx.body, { params: ctx.params }, { exists: !!found, what: 'template' });
        const current = ctx.tenant.latest(found.templateId);
        // Idempotent: deleting a deleted template succeeds again and changes nothing.
        if (current.deletedAt !== null) return { status: 204 };
        current.deletedAt = now();
        return { status: 204, mutated: true };
      },
    },
  ];
}

