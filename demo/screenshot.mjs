// Regenerates docs/images/dashboard.jpg (the README's screenshot) from a live dashboard in
// headless Chromium: `node demo/screenshot.mjs` after a build.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startDashboard } from './server.mjs';
import { launch, newPage, ROOT } from '../tests/browser/helpers.mjs';

const out = path.join(ROOT, 'docs/images/dashboard.jpg');
mkdirSync(path.dirname(out), { recursive: true });
const app = await startDashboard({ port: 0, emulatorPort: 0 });
const browser = await launch();
try {
  const page = await newPage(browser.context);
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(app.url);
  await page.waitForSelector('body[data-ready=true]');
  await page.click('#samples button[data-sample="Funding news"]');
  await page.locator('#keyword-preview #doc mark').first().waitFor();
  await page.screenshot({ path: out, fullPage: true, type: 'jpeg', quality: 65 });
  if (page.problems.length) throw new Error(page.problems.join('\n'));
  console.log(`screenshot: ${path.relative(ROOT, out)}`);
} finally {
  await browser.close();
  await app.close();
}
