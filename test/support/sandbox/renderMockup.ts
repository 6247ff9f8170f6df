// Renders the sandbox's mockup image, test/fixtures/sandbox/mockups/login.png, from LOGIN_PAGE_HTML
// with headless Chromium: `npx tsc -p . && node out/test/support/sandbox/renderMockup.js`.
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { ensureChromium } from '../launchers/systemPackages';
import { repoRoot } from '../repoRoot';
import { LOGIN_PAGE_HTML } from './sandboxPages';

async function main(): Promise<void> {
  const target = path.join(repoRoot, 'test', 'fixtures', 'sandbox', 'mockups', 'login.png');
  const browser = await chromium.launch({ executablePath: await ensureChromium(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 420 } });
    await page.setContent(LOGIN_PAGE_HTML);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target });
  } finally {
    await browser.close();
  }
  console.log(`${path.relative(repoRoot, target)}: ${(fs.statSync(target).size / 1024).toFixed(1)} KiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
