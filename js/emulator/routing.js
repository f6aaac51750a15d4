// Which route a request is for: the route tables of both providers (puffle.js, saber.js),
// matched segment by segment (`:name` segments become params).
import { HttpError } from './errors.js';
import { PUFFLE_MOUNT } from './puffle.js';
import { SABER_MOUNT } from './saber.js';

const under = (path, base) => path === base || path.startsWith(`${base}/`);

/** The provider whose API a path belongs to, or null (404s use Puffle's error shape). */
export function providerOf(path) {
  if (under(path, PUFFLE_MOUNT.base)) return 'puffle';
  if (under(path, SABER_MOUNT.base)) return 'saber';
  return null;
}

function matchPath(route, parts) {
  if (route.segments.length !== parts.length) return null;
  const params = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i];
    if (seg.startsWith(':')) params[seg.slice(1)] = parts[i];
    else if (seg !== parts[i]) return null;
  }
  return params;
}

export class Router {
  #routes;

  /** `tables`: {puffle: [route], saber: [route]}; a route is {method, path, name, handle}. */
  constructor(tables) {
    this.#routes = Object.entries(tables).flatMap(([provider, routes]) => routes.map((r) => (
      { ...r, provider, segments: r.path.split('/').slice(1) })));
  }

  /**
   * The route for a method and path: {route, params}; else {route: null}, with `allow`
   * (the methods it takes, e.g. 'GET, POST') when the path is served for other methods.
   */
  match(method, path) {
    const parts = path.split('/').slice(1);
    const allow = [];
    for (const route of this.#routes) {
      const params = matchPath(route, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allow.push(route.method);
    }
    return { route: null, params: null, allow: allow.length ? [...new Set(allow)].join(', ') : undefined };
  }
}

/** The 404/405 for a request `match` found no route for. */
export function noRoute(method, path, allow) {
  if (allow) return new HttpError(405, 'method_not_allowed', `${method} is not supported here; use ${allow}`);
  return new HttpError(404, 'not_found', `no route for ${method} ${path}`);
}
