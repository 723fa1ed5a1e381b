import { useId, useState } from 'react';
import type { MarketplaceAdmin, MarketplaceAdmins } from '../service/marketplace-admins.ts';

/**
 * Add an admin: email, name and user id. The id is asked for because no function of the control
 * plane finds a user from their email; the form says where to copy it from.
 */
export function AddAdminForm(props: {
  admins: MarketplaceAdmins;
  onAdded: (admin: MarketplaceAdmin) => void;
}) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [userId, setUserId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ids = { email: useId(), name: useId(), user: useId(), userHint: useId() };

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const added = await props.admins.add({ userId, email, displayName: name });
    setBusy(false);
    if (!added.ok) return setError(added.error.message);
    setEmail('');
    setName('');
    setUserId('');
    props.onAdded(added.value);
  }

  return (
    <form className="cartae-admin__add-admin" onSubmit={submit} aria-labelledby={`${ids.email}-heading`}>
      <h3 id={`${ids.email}-heading`}>Add an admin</h3>
      <div className="cartae-admin__field">
        <label htmlFor={ids.email}>Email</label>
        <input
          id={ids.email}
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={ids.name}>Name (optional)</label>
        <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={ids.user}>User id</label>
        <input
          id={ids.user}
          type="text"
          spellCheck={false}
          autoComplete="off"
          aria-describedby={ids.userHint}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
        />
        <p id={ids.userHint} className="cartae-admin__hint">
          The control plane cannot look a user up by email, so their id is needed too: Supabase dashboard →
          Authentication → Users, or the id <code>npm run local-supabase -- create-admin</code> prints. They
          must have signed up already.
        </p>
      </div>
      {error && (
        <p role="alert" className="cartae-admin__bad">
          {error}
        </p>
      )}
      <button type="submit" className="cartae-admin__primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add admin'}
      </button>
    </form>
  );
}
