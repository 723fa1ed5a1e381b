import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AdminRoster, MarketplaceAdmin } from '../service/marketplace-admins.ts';
import type { MarketplaceConfigService } from '../service/marketplace-config-service.ts';
import { AddAdminForm } from './AddAdminForm.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';
import { announce } from './live-region.ts';

type Notice = { kind: 'ok' | 'error'; text: string };
const nameOf = (a: MarketplaceAdmin) => (a.displayName ? `${a.displayName} (${a.email})` : a.email);

/**
 * Admins: who may change the marketplace source, add one, remove one after a confirmation. The
 * last admin is never removed (the database refuses; its words are shown). Where the control plane
 * cannot list the admins, says so and lists those added here and the signed-in admin.
 */
export function AdminsTab(props: { service: MarketplaceConfigService }) {
  const admins = useMemo(() => props.service.admins(), [props.service]);
  const [roster, setRoster] = useState<AdminRoster>();
  const [seen, setSeen] = useState<MarketplaceAdmin[]>([]);
  const [self, setSelf] = useState<{ id: string; email: string | undefined }>();
  const me = self?.id;
  const [target, setTarget] = useState<MarketplaceAdmin>();
  const [busy, setBusy] = useState(false);
  const [notice, setShown] = useState<Notice>();
  // Shown beside the list and said once through the panel's one live region.
  const setNotice = useCallback((next: Notice) => {
    setShown(next);
    announce(next.text);
  }, []);

  const load = useCallback(async () => {
    const [listed, user] = await Promise.all([admins.list(), admins.currentUser()]);
    setSelf(user);
    if (listed.ok) setRoster(listed.value);
    else setNotice({ kind: 'error', text: listed.error.message });
  }, [admins, setNotice]);
  useEffect(() => {
    void load();
  }, [load]);

  const rows: MarketplaceAdmin[] =
    roster?.kind === 'listed'
      ? [...roster.admins]
      : [
          ...(me && !seen.some((a) => a.userId === me)
            ? [{ userId: me, email: self?.email ?? 'signed in', displayName: 'You', addedAt: null }]
            : []),
          ...seen,
        ];
  const lastOne = roster?.kind === 'listed' && rows.length <= 1;

  async function remove() {
    if (!target) return;
    setBusy(true);
    const removed = await admins.remove(target.userId);
    setBusy(false);
    setTarget(undefined);
    if (!removed.ok) return setNotice({ kind: 'error', text: removed.error.message });
    setSeen((list) => list.filter((a) => a.userId !== target.userId));
    setNotice({
      kind: 'ok',
      text: removed.value
        ? `${nameOf(target)} is no longer a marketplace admin.`
        : `${nameOf(target)} was not an admin: nothing changed.`,
    });
    await load();
  }

  if (!roster && !notice) return <p aria-busy="true">Loading the admins…</p>;
  return (
    <section aria-labelledby="cartae-admin-admins-heading" className="cartae-admin__section">
      <h2 id="cartae-admin-admins-heading">Admins</h2>
      <p className="cartae-admin__hint">
        Marketplace admins change where the fleet fetches its marketplace, its automation and this list. The
        last admin can never be removed.
      </p>
      {notice && (
        <p className={`cartae-admin__notice cartae-admin__${notice.kind === 'error' ? 'bad' : 'ok'}`}>
          <Icon name={notice.kind === 'error' ? 'error' : 'ok'} decorative />
          {notice.text}
        </p>
      )}
      {roster?.kind === 'unlisted' && (
        <p className="cartae-admin__note">
          <Icon name="info" decorative /> {roster.reason}
        </p>
      )}
      <ul className="cartae-admin__admins" aria-label="Marketplace admins">
        {rows.map((a) => (
          <li key={a.userId}>
            <span className="cartae-admin__admin-name">
              {nameOf(a)}
              {a.userId === me && roster?.kind === 'listed' ? ' — you' : ''}
            </span>
            <button
              type="button"
              className="cartae-admin__danger"
              disabled={lastOne}
              aria-label={a.userId === me ? 'Remove yourself' : `Remove ${nameOf(a)}`}
              onClick={() => setTarget(a)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {lastOne && (
        <p className="cartae-admin__hint">The only admin cannot be removed: add another admin first.</p>
      )}
      <AddAdminForm
        admins={admins}
        onAdded={(added) => {
          setSeen((list) => [...list.filter((a) => a.userId !== added.userId), added]);
          setNotice({ kind: 'ok', text: `${nameOf(added)} is now a marketplace admin.` });
          void load();
        }}
      />
      {target && (
        <ConfirmDialog
          title={
            target.userId === me ? 'Remove yourself as an admin?' : `Remove ${nameOf(target)} as an admin?`
          }
          confirmLabel="Remove admin"
          onConfirm={() => void remove()}
          onCancel={() => setTarget(undefined)}
          busy={busy}
        >
          <p>
            {target.userId === me
              ? 'You are removing yourself: you lose access to this panel at once, and only another admin can add you back.'
              : 'They can no longer change the marketplace source, its automation or the admins. Their past changes stay in the history.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
