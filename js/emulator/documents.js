// The vendors' contract, served by the emulator so that tools can import it from a running
// instance: GET /openapi/<provider>.json (the OpenAPI documents) and GET /schemas/<kind>.json
// (the request schemas they reference).
import { readdirSync, readFileSync } from 'node:fs';

const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);
const REQUEST_SCHEMAS = new Set(readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')));
const DOCUMENTS = new Set(['puffle.json', 'saber.json']);

/**
 * The JSON text served at `path`, or null when no document lives there. In the OpenAPI
 * documents, the package-relative references to request schemas (`../<kind>.json`) become
 * `/schemas/<kind>.json`, which resolves against the emulator.
 */
export function documentAt(path) {
  const [, dir, file] = /^\/(openapi|schemas)\/([^/]+)$/.exec(path) ?? [];
  if (dir === 'schemas' && REQUEST_SCHEMAS.has(file)) return readFileSync(new URL(file, SCHEMA_DIR), 'utf8');
  if (dir === 'openapi' && DOCUMENTS.has(file)) {
    return readFileSync(new URL(`openapi/${file}`, SCHEMA_DIR), 'utf8').replace(/"\$ref": "\.\.\/([^"#/]+\.json)/g, '"$ref": "/schemas/$1');
  }
  return null;
}
