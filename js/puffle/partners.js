// puffle.partners: the webhook portal (GET /partners/portal). Functions of the client's
// context `{core}`.
import { callOptions } from '../client/resource.js';
import { PUFFLE_PATHS } from '../vendors/puffle.js';

/** The `partners` resource of one client. */
export function partners(ctx) {
  return Object.freeze({
    portal: (options) => portal(ctx, options),
  });
}

/**
 * A short-lived link (about 5 minutes) to the portal where webhook endpoints and their
 * signing secrets are managed: `{url}`. Fetch a new one each time; never store it.
 * NotFoundError (404) when no webhook app exists for this key yet.
 */
function portal({ core }, options) {
  return core.request({
    kind: 'puffle.partners.portal', method: 'GET', path: PUFFLE_PATHS.partnerPortal, safe: true,
    hints: { 404: 'no webhook app exists for this API key yet, so there is no portal to open: set up webhooks for the account first' },
  }, callOptions(options, 'partners.portal'));
}
