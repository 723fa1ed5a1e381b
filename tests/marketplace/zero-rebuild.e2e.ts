import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from './support/admin-stack.ts';
import { launchChromium } from './support/chromium.ts';
import { startWholeStack } from './support/whole-stack.ts';

type Stack = Awaited<ReturnType<typeof startWholeStack>>;
let stack: Stack;
let browser: Browser;
let fleet: BrowserContext;
let early: Page;
let late: Page;

const SWITCH_WITHIN_MS = 30_000;

const servedBy = (page: Page) => page.getByRole('status', { name: 'Served by' }).textContent();
const configVersion = (page: Page) => page.getByRole('status', { name: 'Config version' }).textContent();
/** The plugins the page says it lists ("38 plugins"): the list itself only draws the cards in view. */
const pluginCount = async (page: Page) => {
  const status = page.getByRole('status', { name: 'Plugin count' });
  if ((await status.count()) === 0) return 0;
  const text = (await status.textContent()) ?? '';
  return Number(/^(?:Showing )?([\d,]+)/.exec(text)?.[1]?.replaceAll(',', '') ?? 0);
};
const cdnRequests = async (page: Page) =>
  Number(
    await page
      .getByRole('region', { name: 'Live statistics' })
      .locator('dt', { hasText: /^CDN attempts$/ })
      .locator('xpath=following-sibling::dd')
      .textContent(),
  );

/** Requests the page's resolver has sent to registry sources (no network: `getStats()` is local). */
const registryRequests = (page: Page) =>
  page.evaluate(() => {
    const stats = (
      window as unknown as { __cartaeResolver: { getStats(): { totalRequests: number } } }
    ).__cartaeResolver.getStats();
    return stats.totalRequests;
  });
/** A person clicks the page's Refresh button. */
const refresh = (page: Page) => page.getByRole('button', { name: 'Refresh', exact: true }).click();

async function openApp(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(stack.info.webAppUrl);
  // A marker that a reload would erase: proves the app followed the switch with the code it had.
  await page.evaluate(() => {
    (window as unknown as { loadedOnce: number }).loadedOnce = Date.now();
  });
  return page;
}
const notReloaded = (page: Page) =>
  page.evaluate(() => typeof (window as unknown as { loadedOnce?: number }).loadedOnce === 'number');

async function adminSwitch(button: string, confirm: RegExp, reason: string) {
  const page = await browser.newPage();
  await page.goto(stack.info.adminPanelUrl);
  await page.getByLabel('Email').fill(stack.info.admin.email);
  await page.getByLabel('Password').fill(stack.info.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Reason (kept in the history)').fill(reason);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: confirm }).click();
  // Said beside the action and in the panel's live region: the visible one.
  await page
    .getByText(/^Saved as version \d+\./)
    .first()
    .waitFor();
  return page;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startWholeStack(), launchChromium()]);
  fleet = await browser.newContext();
  early = await openApp(fleet);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

describe('zero rebuild: the whole stack in Chromium', () => {
  it('two running apps follow an admin switch Git → Cloudflare without reloading, and CDN requests rise', async () => {
    await expect.poll(() => servedBy(early), { timeout: 30_000 }).toBe('Git');
    // The second app starts later: the first has been running all along.
    late = await openApp(fleet);
    await expect.poll(() => servedBy(late), { timeout: 30_000 }).toBe('Git');
    await early.screenshot({ path: join(ARTIFACTS, 'web-on-git.png'), fullPage: true });
    const cdnBefore = await cdnRequests(early);

    const admin = await adminSwitch(
      'Cloudflare CDN',
      /Switch to Cloudflare CDN/,
      'e2e: Git is rate limiting',
    );
    const switchedAt = Date.now();
    await expect.poll(() => servedBy(early), { timeout: SWITCH_WITHIN_MS }).toBe('Cloudflare CDN');
    await expect.poll(() => servedBy(late), { timeout: SWITCH_WITHIN_MS }).toBe('Cloudflare CDN');
    console.log(`both apps on the CDN ${Date.now() - switchedAt} ms after the admin confirmed`);
    expect(await notReloaded(early)).toBe(true);
    expect(await notReloaded(late)).toBe(true);
    // The config change made the page read once, from the CDN; a person's Refresh reads once more.
    await expect.poll(() => cdnRequests(early), { timeout: 10_000 }).toBeGreaterThan(cdnBefore);
    const cdnAfterSwitch = await cdnRequests(early);
    await refresh(early);
    await expect.poll(() => cdnRequests(early), { timeout: 10_000 }).toBe(cdnAfterSwitch + 1);
    await early.screenshot({ path: join(ARTIFACTS, 'web-on-cdn.png'), fullPage: true });
    await admin.close();
  });

  it('a rollback from the history returns everyone to Git', async () => {
    const admin = await browser.newPage();
    await admin.goto(stack.info.adminPanelUrl);
    await admin.getByLabel('Email').fill(stack.info.admin.email);
    await admin.getByLabel('Password').fill(stack.info.admin.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    // "Test" against the real Worker: the CDN URL of the local fleet, fetched from the browser.
    await admin.getByRole('button', { name: 'Test Cloudflare CDN URL' }).click();
    await expect
      .poll(() => admin.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent(), {
        timeout: 15_000,
      })
      .toMatch(/✅ OK · \d+ ms · registry version \d+ · 38 plugins/);
    await admin.getByRole('tab', { name: 'History' }).click();
    const history = admin.getByRole('list', { name: 'Configuration changes, newest first' });
    // The entries themselves (each holds a list of its changes).
    const beforeSwitch = history.locator(':scope > li').nth(1);
    await expect.poll(() => beforeSwitch.textContent()).toContain('Git');
    await beforeSwitch.getByRole('button', { name: /Roll back to version/ }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await admin
      .getByText(/^Rolled back:/)
      .first()
      .waitFor();
    await expect.poll(() => servedBy(early), { timeout: SWITCH_WITHIN_MS }).toBe('Git');
    await expect.poll(() => servedBy(late), { timeout: SWITCH_WITHIN_MS }).toBe('Git');
    expect(await notReloaded(early)).toBe(true);
    await admin.close();
  });

  it('Git answers 429: the apps keep showing plugins through fallback, with no error shown', async () => {
    stack.git.setBehaviour('*', { kind: 'rate-limited', retryAfterSeconds: 600 });
    try {
      await refresh(early); // the page does not poll: a person asks for the latest list
      await expect.poll(() => servedBy(early), { timeout: 20_000 }).toBe('Cloudflare CDN');
      expect(await pluginCount(early)).toBeGreaterThan(10);
      expect(await early.getByRole('alert').count()).toBe(0);
      await early.screenshot({ path: join(ARTIFACTS, 'web-git-429.png'), fullPage: true });
    } finally {
      stack.git.setBehaviour('*', { kind: 'serve' });
    }
  });

  it('the control plane is stopped: running apps keep working; a restarted app uses its persisted config', async () => {
    const version = await configVersion(early);
    // Supabase and its edge endpoint both down (the fleet is on Git, which still serves).
    await stack.standIn.close();
    await stack.worker?.stop();
    const requestsBefore = await registryRequests(early);
    await early.waitForTimeout(7_000); // more than the config TTL: the apps try to refresh and fail
    expect(await pluginCount(early)).toBeGreaterThan(10);
    // Idle and showing a fresh list, the open app sent no registry request in all that time.
    expect(await registryRequests(early)).toBe(requestsBefore);
    expect(await configVersion(early)).toBe(version);

    // A restart: a new page in the same profile (its storage holds the last config).
    const restarted = await fleet.newPage();
    await restarted.goto(stack.info.webAppUrl);
    await expect.poll(() => pluginCount(restarted), { timeout: 20_000 }).toBeGreaterThan(10);
    expect(await configVersion(restarted)).toBe(version);
    expect(await restarted.getByRole('status', { name: 'Marketplace freshness' }).textContent()).toContain(
      'Using the marketplace settings saved on this device',
    );
    expect(await servedBy(restarted)).toBe('Git');
    await restarted.screenshot({ path: join(ARTIFACTS, 'web-control-plane-down.png'), fullPage: true });
  });
});
