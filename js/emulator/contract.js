// The emulator held to the vendors' documents (option `strictResponses`): every response a
// route sends, and every webhook event it sends (the document's `webhooks`), is checked
// against the OpenAPI document of its provider (schemas/openapi/),
// with ajv (draft 2020-12, the dialect of OpenAPI 3.1, plus the draft-07 request schemas the
// documents reference). The documents and validators are compiled once per process.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);
const ID_BASE = 'https://signalkit.dev/schemas/'; // the request schemas' $id prefix
const PROVIDERS = ['puffle', 'saber'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));
const escape = (segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The OpenAPI document of a provider, as shipped in the package. */
const openapiDocument = (provider) => readJson(new URL(`openapi/${provider}.json`, SCHEMA_DIR));

async function loadAjv() {
  try {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const { default: addFormats } = await import('ajv-formats');
    const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json');
    return { Ajv2020, addFormats, draft07 };
  } catch (err) {
    throw new Error(`strictResponses needs the packages ajv and ajv-formats (npm install --save-dev ajv ajv-formats): ${err.message}`);
  }
}

/**
 * Each operation's documented responses: `ops[provider]['GET /api/v1/signals/types/{id}']`
 * is `{status: {pointer, hasBody}}`, `pointer` locating the JSON body schema in the document.
 */
function operationsOf(provider, doc) {
  const out = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const responses = {};
      for (const [status, response] of Object.entries(item[method].responses)) {
        const ref = response.$ref;
        const resolved = ref ? doc.components.responses[ref.split('/').pop()] : response;
        const base = ref ? ref.slice(1) : `/paths/${escape(path)}/${method}/responses/${status}`;
        const json = resolved.content?.['application/json'];
        responses[status] = { pointer: json ? `${base}/content/application~1json/schema` : null };
      }
      out[`${method.toUpperCase()} ${path}`] = responses;
    }
  }
  return out;
}

let compiled = null;

/** The checker, built once per process: `check(provider, method, routePath, status, body)`. */
export function loadContract() {
  compiled ??= (async () => {
    const { Ajv2020, addFormats, draft07 } = await loadAjv();
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    ajv.addMetaSchema(draft07);
    for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.json'))) ajv.addSchema(readJson(new URL(f, SCHEMA_DIR)));
    const ops = {};
    const events = {};
    for (const provider of PROVIDERS) {
      const doc = openapiDocument(provider);
      // Under the $id its location implies, so that "../<kind>.json" is the request schema.
      ajv.addSchema(doc, `${ID_BASE}openapi/${provider}.json`, undefined, false);
      events[provider] = {};
      for (const type of Object.keys(doc.webhooks ?? {})) {
        events[provider][type] = ajv.getSchema(`${ID_BASE}openapi/${provider}.json#/webhooks/${escape(type)}/post/requestBody/content/application~1json/schema`);
      }
      ops[provider] = operationsOf(provider, doc);
      for (const responses of Object.values(ops[provider])) {
        for (const r of Object.values(responses)) {
          if (r.pointer) r.validate = ajv.getSchema(`${ID_BASE}openapi/${provider}.json#${r.pointer}`);
        }
      }
    }
    return new ResponseContract(ops, events);
  })();
  return compiled;
}

class ResponseContract {
  #ops;
  #events;

  constructor(ops, events) {
    this.#ops = ops;
    this.#events = events;
  }

  /**
   * The ways a webhook event's body (the envelope {type, timestamp, data}) breaks the
   * provider's document: `[{field, message}]`, empty when it conforms.
   */
  checkEvent(provider, body) {
    const validate = this.#events[provider]?.[body?.type];
    if (!validate) return [{ field: '/type', message: `${JSON.stringify(body?.type)} is not a webhook event of the ${provider} document` }];
    return validate(body) ? [] : errorsOf(validate);
  }

  /**
   * The ways a response breaks the provider's document: `[{field, message}]` (`field` a
   * JSON pointer into the body, "" for the response as a whole); empty when it conforms.
   * `routePath` is the route's path with `:name` segments (the document's `{name}`).
   */
  check(provider, method, routePath, status, body) {
    const operation = `${method} ${routePath.replace(/:(\w+)/g, '{$1}')}`;
    const responses = this.#ops[provider]?.[operation];
    if (!responses) return [{ field: '', message: `${operation} is not an operation of the ${provider} document` }];
    const response = responses[status];
    if (!response) {
      return [{ field: '', message: `status ${status} is not documented for ${operation} (documented: ${Object.keys(responses).join(', ')})` }];
    }
    if (!response.pointer) {
      return body === undefined ? [] : [{ field: '', message: `${operation} ${status} is documented without a body, but one was sent` }];
    }
    if (body === undefined) return [{ field: '', message: `${operation} ${status} is documented with a JSON body, but none was sent` }];
    return response.validate(body) ? [] : errorsOf(response.validate);
  }
}

function errorsOf(validate) {
  return validate.errors.map((e) => ({
    field: e.instancePath,
    message: `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
  }));
}
