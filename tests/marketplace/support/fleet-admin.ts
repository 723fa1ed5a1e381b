import { createHmac, timingSafeEqual } from 'node:crypto';
import { MarketplaceConfigService } from '@cartae/plugin-admin/service';
import { createClient } from '@supabase/supabase-js';
import type { Page } from 'playwright-core';
import type { ReceivedWebhook } from './webhook-receiver.ts';
import type { startWholeStack } from './whole-stack.ts';

type Stack = Awaited<ReturnType<typeof startWholeStack>>;

/** The admin panel's own data layer (`MarketplaceConfigService`), signed in as the stack's dev admin. */
export async function signInAsDevAdmin(stack: Stack): Promise<MarketplaceConfigService> {
  const supabase = createClient(stack.info.supabaseUrl, stack.info.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await supabase.auth.signInWithPassword(stack.info.admin);
  if (error) throw new Error(`dev admin sign-in failed: ${error.message}`);
  return new MarketplaceConfigService(supabase);
}

/** Unwraps a service result, failing the test with the service's own words. */
export function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/**
 * Checks an alert's signature independently of the Worker's code, from the documented format:
 * `x-cartae-signature: sha256=<hex HMAC-SHA256 of "<x-cartae-timestamp>.<body>" with the secret>`,
 * the timestamp in Unix seconds, within 5 minutes of now.
 */
export function verifyAlertSignature(hook: ReceivedWebhook, secret: string): boolean {
  const timestamp = String(hook.headers['x-cartae-timestamp'] ?? '');
  const signature = String(hook.headers['x-cartae-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${hook.body}`).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

/** An alert's JSON body. */
export const alertOf = (hook: ReceivedWebhook) =>
  JSON.parse(hook.body) as { text: string; event: string; at: string; details: Record<string, unknown> };

/** Signs into the admin panel as the dev admin and opens Monitoring, as a person does. */
export async function openMonitoring(page: Page, stack: Stack): Promise<void> {
  await page.goto(stack.info.adminPanelUrl);
  await page.getByLabel('Email').fill(stack.info.admin.email);
  await page.getByLabel('Password').fill(stack.info.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: 'Monitoring' }).click();
  await fleetPanel(page).waitFor();
}

/** Monitoring's fleet section ("Fleet — last hour"). */
export const fleetPanel = (page: Page) => page.getByRole('region', { name: /^Fleet — / });

/** What the fleet section shows now, read after a click on its Refresh: Git's 429 cell and the convergence line. */
export async function readFleetPanel(
  page: Page,
): Promise<{ empty: boolean; gitRateLimited: string | undefined; convergence: string | undefined }> {
  const panel = fleetPanel(page);
  const refresh = panel.getByRole('button', { name: 'Refresh', exact: true });
  await refresh.click();
  // While it reads, the button says "Refreshing…"; named "Refresh" again, the reading is shown.
  await refresh.waitFor();
  if ((await panel.getByText(/^No reports yet/).count()) > 0) {
    return { empty: true, gitRateLimited: undefined, convergence: undefined };
  }
  const table = panel.getByRole('table');
  if ((await table.count()) === 0) return { empty: false, gitRateLimited: undefined, convergence: undefined };
  const headers = await table.locator('thead th').allTextContents();
  const gitColumn = headers.findIndex((h) => h.trim() === 'Git');
  const row = table.getByRole('row', { name: /^Rate-limited \(429\)/ });
  const gitRateLimited =
    gitColumn > 0
      ? await row
          .locator('td')
          .nth(gitColumn - 1)
          .textContent()
      : undefined;
  const convergence = await panel
    .locator('dt', { hasText: /^Config version$/ })
    .locator('xpath=following-sibling::dd')
    .first()
    .textContent();
  return { empty: false, gitRateLimited: gitRateLimited ?? undefined, convergence: convergence ?? undefined };
}

/** `97.5 % (390)` → 97.5; `0 %`, `—` or nothing → 0. */
export function shareOf(cell: string | undefined): number {
  const match = cell?.match(/([\d.]+)\s*%/);
  return match ? Number(match[1]) : 0;
}
