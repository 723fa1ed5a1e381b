/** The id of the admin panel's one live region (created on first use, shared by every tab). */
export const LIVE_REGION_ID = 'cartae-admin-live';

/**
 * Says `text` to screen readers through the panel's one polite live region: results of a save,
 * a switch, a rollback or a conflict, which are also shown beside the action that caused them.
 * The region is one element under `document.body`, so a tab that unmounts cannot cut a message.
 *
 * @example
 * announce('Saved as version 7. Every installed app follows within ~300 s.');
 */
export function announce(text: string): void {
  if (typeof document === 'undefined') return;
  let region = document.getElementById(LIVE_REGION_ID);
  if (!region) {
    region = document.createElement('div');
    region.id = LIVE_REGION_ID;
    region.className = 'cartae-admin__visually-hidden';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-atomic', 'true');
    region.setAttribute('aria-label', 'Admin panel announcements');
    document.body.append(region);
  }
  region.textContent = text;
}
