// Which hosts the emulator pretends it can reach: Puffle's onboarding crawls a website and
// Saber's research looks a company's domain up, and both fail for a host that cannot
// resolve. The rule is the same for both (docs/emulator.md).

// Top-level domains reserved so that they never resolve (RFC 2606, RFC 6761).
const UNRESOLVABLE_TLDS = new Set(['invalid', 'test', 'example', 'localhost']);

/** The host of a website given as a URL or a bare domain, or null when it has none. */
export function hostOf(website) {
  const text = website.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    return url.hostname || null;
  } catch {
    return null;
  }
}

/**
 * True when a host cannot be reached: no host at all, a host without a dot, or one under a
 * reserved top-level domain (`.invalid`, `.test`, `.example`, `.localhost`).
 */
export function isUnresolvable(host) {
  if (!host) return true;
  return !host.includes('.') || UNRESOLVABLE_TLDS.has(host.split('.').pop().toLowerCase());
}

/** "northwind-analytics.com" -> "Northwind Analytics". */
export function companyNameOf(host) {
  const label = host.replace(/^www\./i, '').split('.')[0];
  return label.split(/[-_]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') || host;
}
