import { normaliseSourceHost } from '@cartae/marketplace-core';
import { useCallback, useEffect, useId, useState } from 'react';
import type { SourceHost, SourceHostsClient } from '../service/source-hosts.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Icon } from './Icon.tsx';

type Pending = { kind: 'add'; host: string; note: string } | { kind: 'remove'; host: string };

/**
 * The control plane's list of source hosts (SPEC 4.7): the only hosts a config may send apps to.
 * Adding or removing one is its own confirmed action, recorded in the alert feed by the database;
 * a host in use cannot be removed.
 */
export function SourceHostsSettings(props: { hosts: SourceHostsClient }) {
  const client = props.hosts;
  const [hosts, setHosts] = useState<readonly SourceHost[]>();
  const [host, setHost] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const ids = { heading: useId(), host: useId(), note: useId(), hint: useId() };

  const load = useCallback(async () => {
    const listed = await client.list();
    if (listed.ok) setHosts(listed.value);
    else setNotice({ kind: 'error', text: listed.error.message });
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  function proposeAdd(event: React.FormEvent) {
    event.preventDefault();
    const checked = normaliseSourceHost(host);
    if (!checked.ok) return setNotice({ kind: 'error', text: checked.error });
    if (hosts?.some((h) => h.host === checked.value)) {
      return setNotice({ kind: 'ok', text: `${checked.value} is already on the list; nothing to add.` });
    }
    setNotice(undefined);
    setPending({ kind: 'add', host: checked.value, note: note.trim() });
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    const done =
      pending.kind === 'add'
        ? await client.add(pending.host, pending.note || undefined)
        : await client.remove(pending.host);
    setBusy(false);
    setPending(undefined);
    if (!done.ok) return setNotice({ kind: 'error', text: done.error.message });
    setNotice({
      kind: 'ok',
      text:
        pending.kind === 'add'
          ? `${pending.host} is on the list of source hosts.`
          : `${pending.host} is off the list of source hosts.`,
    });
    if (pending.kind === 'add') {
      setHost('');
      setNote('');
    }
    await load();
  }

  return (
    <fieldset aria-labelledby={ids.heading}>
      <legend id={ids.heading}>Source hosts</legend>
      <p className="cartae-admin__hint">
        The only hosts a config may send apps to: every Git and CDN URL must name one of them exactly. A
        switch can never add one; adding or removing a host is its own action, written to the alert feed.
      </p>
      {notice && (
        <p
          role={notice.kind === 'error' ? 'alert' : 'status'}
          className={notice.kind === 'error' ? 'cartae-admin__bad' : 'cartae-admin__ok'}
        >
          <Icon name={notice.kind === 'error' ? 'error' : 'ok'} /> {notice.text}
        </p>
      )}
      {!hosts && !notice && <p aria-busy="true">Loading the source hosts…</p>}
      {hosts && (
        <ul aria-label="Source hosts" className="cartae-admin__host-list">
          {hosts.map((h) => (
            <li key={h.host}>
              <code>{h.host}</code>
              {h.inUse ? ' · in use by the current config' : ''}
              {h.note ? ` · ${h.note}` : ''}
              {h.addedByEmail ? ` · added by ${h.addedByEmail}` : ''}{' '}
              <button
                type="button"
                disabled={h.inUse}
                title={h.inUse ? 'Point the config elsewhere before removing it' : undefined}
                aria-label={`Remove ${h.host}`}
                onClick={() => setPending({ kind: 'remove', host: h.host })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={proposeAdd} aria-label="Add a source host">
        <div className="cartae-admin__field">
          <label htmlFor={ids.host}>Host to add</label>
          <input
            id={ids.host}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="cdn2.example.com"
            aria-describedby={ids.hint}
            value={host}
            onChange={(e) => setHost(e.target.value)}
          />
          <p id={ids.hint} className="cartae-admin__hint">
            The exact host name: no https://, port, path or wildcard.
          </p>
        </div>
        <div className="cartae-admin__field">
          <label htmlFor={ids.note}>Why (optional)</label>
          <input
            id={ids.note}
            type="text"
            maxLength={200}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        <button type="submit" disabled={host.trim() === ''}>
          Add host
        </button>
      </form>
      {pending && (
        <ConfirmDialog
          title={
            pending.kind === 'add'
              ? `Add ${pending.host} to the source hosts?`
              : `Remove ${pending.host} from the source hosts?`
          }
          confirmLabel={pending.kind === 'add' ? 'Add host' : 'Remove host'}
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => setPending(undefined)}
        >
          <p>
            {pending.kind === 'add'
              ? `Admins may then point every installed app at ${pending.host}. Add only a host you control.`
              : `A config naming ${pending.host} will be refused, rollbacks to one included.`}
          </p>
        </ConfirmDialog>
      )}
    </fieldset>
  );
}
