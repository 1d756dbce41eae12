import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Debian's chromium (`.ci/run` installs it); Playwright's own browser downloads are not reachable here. The headless
 * shell (package chromium-headless-shell, what Playwright runs for headless too) when it is there: the specs took
 * 15 % less CPU with it than with the full browser in its new headless mode.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ?? '/usr/bin/chromium';
/** Screenshots of every page in both themes, for looking at (the README's come from here). Not committed. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export type Theme = 'light' | 'dark';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // No calls home: the machine has no internet and every blocked connection would slow the browser down.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (own storage) on the hub; clipboard readable so copy buttons can be checked. */
export async function newDashboardContext(browser: Browser, hubUrl: string, theme: Theme = 'light'): Promise<BrowserContext> {
  // Reduced motion: no fade is half-way when axe measures contrast (a fading dialog blends into the page behind).
  const context = await browser.newContext({ baseURL: hubUrl, colorScheme: theme, reducedMotion: 'reduce', viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hubUrl });
  return context;
}

/** Signs in through the sign-in page, by keyboard only (Tab order and Enter), and waits for the shell. */
export async function signIn(page: Page, email: string, password: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).or(page.getByRole('heading', { name: 'Choose your own password' })).waitFor();
}

/** A page in a fresh browser context (added to `contexts`, for the spec to close), signed in and opened at `path`. */
export async function signedInPage(browser: Browser, hubUrl: string, contexts: BrowserContext[], email: string, password: string, path = '/'): Promise<Page> {
  const context = await newDashboardContext(browser, hubUrl);
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, email, password, path);
  return page;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core on the page as it is now; returns the serious and critical violations (the spec expects none). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Whatever still animates (CSS transitions the reduced-motion preference leaves) settles before colours are read.
  // (Finite ones only: a spinner's animation never finishes.)
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
    .map((a) => a.finished.catch(() => undefined)))`);
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(axeSource);
  // A string runs in the page (the spec's own TypeScript has no DOM types).
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Presses Tab until `target` has focus; fails when it is not reachable by keyboard within `maxTabs`. */
export async function tabTo(page: Page, target: Locator, maxTabs = 200): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.contains(el.ownerDocument.activeElement))) return;
  }
  throw new Error(`not reachable by Tab within ${maxTabs} presses: ${target.toString()}`);
}

/** Waits until `target` has focus (a modal moves focus to its `data-autofocus` field a moment after it opens). */
export async function focused(page: Page, target: Locator, timeout = 10_000): Promise<void> {
  const element = await target.elementHandle({ timeout });
  await page.waitForFunction((el) => el === el?.ownerDocument.activeElement, element, { timeout });
}

/** The dashboard's stored refresh token (null when signed out). */
export function storedRefreshToken(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(`localStorage.getItem('mcphub.refreshToken')`);
}

/** Forgets this browser's sign-in (as if its storage were cleared). */
export async function clearStorage(page: Page): Promise<void> {
  await page.evaluate('localStorage.clear()');
}

export async function screenshot(page: Page, name: string, theme: Theme): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // No tooltip from the last hover or focus in the picture.
  await page.mouse.move(0, 0);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${theme}.png`), fullPage: true });
}

/** Switches the theme with the header's toggle, as a person would (the choice is remembered by the browser). */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.getByRole('button', { name: /^Switch to (light|dark) theme$/ }).waitFor();
  const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` });
  if (await toggle.count()) await toggle.click();
  await page.locator(`html[data-mantine-color-scheme="${theme}"]`).waitFor({ state: 'attached' });
}
