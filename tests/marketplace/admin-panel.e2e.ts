import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminStack, ARTIFACTS, startAdminStack } from './support/admin-stack.ts';
import { launchChromium } from './support/chromium.ts';

let stack: AdminStack;
let browser: Browser;
beforeAll(async () => {
  [stack, browser] = await Promise.all([startAdminStack(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(stack.adminUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function currentDocument() {
  const { rows } = await stack.standIn.database.query<{
    config_value: Record<string, unknown>;
    version: string;
  }>(`select config_value, version from public.app_config where config_key = 'marketplace_source'`);
  return { ...(rows[0]?.config_value ?? {}), version: Number(rows[0]?.version) };
}

async function switchTo(page: Page, button: string, confirm: RegExp, reason: string) {
  await page.getByLabel('Reason (kept in the history)').fill(reason);
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.textContent()).toContain('Every installed app follows within');
  await dialog.getByRole('button', { name: confirm }).click();
  // Said beside the action and in the panel's live region: the visible one.
  await page
    .getByText(/^Saved as version \d+\./)
    .first()
    .waitFor();
}

describe('the admin page in Chromium', () => {
  it('an admin signs in and moves the fleet Git → Cloudflare → hybrid 10% → Git, tests sources, reads the history and rolls back', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'ada@cartae.test', 'ada-password');
    await page.getByRole('tab', { name: 'Marketplace' }).waitFor();
    await expect.poll(() => page.locator('dd').first().textContent()).toBe('Git');
    await page.screenshot({ path: join(ARTIFACTS, 'marketplace.png'), fullPage: true });

    await switchTo(page, 'Cloudflare CDN', /Switch to Cloudflare CDN/, 'Git is rate limiting');
    expect(await currentDocument()).toMatchObject({ type: 'cloudflare' });

    // A switch applies to the saved config (issue 14): the canary is saved first, through the review.
    await page.getByLabel('Canary percentage (hybrid)', { exact: true }).fill('10');
    await page.getByLabel('Reason (kept in the history)').fill('canary 10%');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    const review = page.getByRole('dialog', { name: 'Save these settings for every app?' });
    await expect.poll(() => review.textContent()).toContain('Canary percentage');
    await review.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(/^Saved as version \d+\./)
      .first()
      .waitFor();
    await switchTo(page, 'Hybrid (CDN → Git)', /Switch to Hybrid/, 'canary 10%');
    expect(await currentDocument()).toMatchObject({
      type: 'hybrid',
      canaryPercent: 10,
      priority: ['cloudflare', 'git'],
    });

    await switchTo(page, 'Git', /Switch to Git/, 'back to Git');
    expect(await currentDocument()).toMatchObject({ type: 'git' });

    // "Test" from the browser: the loopback CDN serves the registry; a wrong URL does not.
    await page.getByRole('button', { name: 'Test Cloudflare CDN URL' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent())
      .toMatch(/✅ OK · \d+ ms · registry version 7 · 25 plugins/);
    await page.getByLabel('Cloudflare CDN URL', { exact: true }).fill(`${stack.git.url}/nothing-here`);
    await page.getByRole('button', { name: 'Test Cloudflare CDN URL' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent())
      // It says what it fetched: the CDN's registry route under the URL typed.
      .toMatch(/❌ cloudflare answered HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/nothing-here\/api\/plugins/);

    await page.getByRole('tab', { name: 'Monitoring' }).click();
    await expect.poll(() => page.getByRole('row', { name: /^Git/ }).textContent()).toContain(' healthy');
    await page.screenshot({ path: join(ARTIFACTS, 'monitoring.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page.getByRole('figure', { name: /Requests by outcome and attempts per source/ }).waitFor();
    expect(await page.locator('.recharts-surface').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'statistics.png'), fullPage: true });

    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByRole('list', { name: 'Configuration changes, newest first' });
    await expect.poll(() => history.getByRole('listitem').first().textContent()).toContain('“back to Git”');
    expect(await history.getByRole('listitem').first().textContent()).toContain(
      'by Ada Lovelace (ada@cartae.test)',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
    const cdnEntry = history.getByRole('listitem').filter({ hasText: '“Git is rate limiting”' });
    await cdnEntry.getByRole('button', { name: /Roll back to version/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await page
      .getByText(/^Rolled back:/)
      .first()
      .waitFor();
    expect(await currentDocument()).toMatchObject({ type: 'cloudflare' });
    await page.close();
  });

  it('invalid input shows field errors and saves nothing', async () => {
    const page = await browser.newPage();
    await signIn(page, 'ada@cartae.test', 'ada-password');
    await page.getByLabel('Cloudflare CDN URL', { exact: true }).waitFor();
    const before = await currentDocument();
    await page.getByLabel('Cloudflare CDN URL', { exact: true }).fill('http://cdn.example.com');
    await page.getByLabel('Cache TTL (seconds)', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.getByLabel('Cloudflare CDN URL', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('#cloudflareUrl-error').textContent()).toMatch(/https/);
    expect(await page.locator('#cacheTtlSeconds-error').textContent()).toMatch(/at least 5/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await currentDocument()).toEqual(before);
    await page.close();
  });

  it('a non-admin is refused with a clear message', async () => {
    const page = await browser.newPage();
    await signIn(page, 'member@cartae.test', 'member-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/you are not a marketplace admin/);
    expect(await page.getByRole('tab').count()).toBe(0);
    await page.close();
  });

  it('a wrong password is said plainly', async () => {
    const page = await browser.newPage();
    await signIn(page, 'ada@cartae.test', 'not-her-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong email or password.');
    await page.close();
  });

  it('is usable 360 px wide and in dark mode', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 }, colorScheme: 'dark' });
    await signIn(page, 'ada@cartae.test', 'ada-password');
    await page.getByRole('tab', { name: 'Marketplace' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await page
      .locator('.cartae-admin')
      .last()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: join(ARTIFACTS, 'marketplace-360-dark.png'), fullPage: true });
    await page.close();
  });
});
