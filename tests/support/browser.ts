/**
 * Debian's Chromium driven by Playwright (playwright-core), for the browser tests: headless,
 * without the network calls Chromium makes on its own, a fresh profile each time. Screenshots go
 * to var/test-artifacts/screenshots/ and stay after the run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PLANGRAF_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = fileURLToPath(new URL('../../var/test-artifacts/screenshots/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** The widths every kept screenshot is taken at: an office's screen and a phone's. */
export const SCREENSHOT_WIDTHS = [1400, 390] as const;

/**
 * Keeps full-page screenshots of the page as test artifacts, one per width of
 * `SCREENSHOT_WIDTHS` (`<name>-1400.png`, `<name>-390.png`); the page's own size is put back after.
 */
export async function keepScreenshot(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  const files: string[] = [];
  for (const width of SCREENSHOT_WIDTHS) {
    await page.setViewportSize({ width, height: width > 480 ? 900 : 844 });
    const file = join(SCREENSHOTS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (size) await page.setViewportSize(size);
  return files;
}

/** How much wider than the window the page is laid out (0 when nothing runs off to the side). */
export async function overflowAt(page: Page, width: number): Promise<number> {
  const size = page.viewportSize();
  await page.setViewportSize({ width, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (size) await page.setViewportSize(size);
  return overflow;
}

/** A page of `context`, logged in through the login form as `login` unless the context already holds a session. */
export async function loggedInPage(context: BrowserContext, baseUrl: string, login: string, password: string): Promise<Page> {
  const page = await context.newPage();
  if (!(await context.cookies()).some((cookie) => cookie.name === 'plangraf_session')) {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL((address) => !address.pathname.startsWith('/login')), page.getByRole('button', { name: 'Войти' }).click()]);
  }
  return page;
}
