// Shared by the browser tests: Debian's Chromium driven by playwright-core (no browser
// download), a fresh profile per launch, and a page that records console errors, page
// errors and CSP violations so a test can assert there were none.
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(ROOT, 'test-results', 'browser');
export const CHROMIUM = process.env.SK_CHROMIUM ?? '/usr/bin/chromium';

mkdirSync(RESULTS, { recursive: true });

/** Launches Chromium headless with its own throw-away profile; close() removes it. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/bootstrap.sh with BOOTSTRAP_BROWSER=1 (apt-get install chromium)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'sk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page whose problems are collected in `page.problems`: uncaught errors, console
 * errors, and CSP violations (reported through securitypolicyviolation events).
 */
export async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('dialog', (d) => d.accept());
  return page;
}

/** Saves a full-page screenshot to test-results/browser/<name>.png; returns the path. */
export async function screenshot(page, name) {
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
