import { useId, useState } from 'react';
import type { MarketplaceAdmin, MarketplaceAdmins } from '../service/marketplace-admins.ts';

/** Add an admin by the email they signed up with (and, optionally, a name). */
export function AddAdminForm(props: {
  admins: MarketplaceAdmins;
  onAdded: (admin: MarketplaceAdmin) => void;
}) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ids = { email: useId(), name: useId(), emailHint: useId() };

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const added = await props.admins.add({ email, displayName: name });
    setBusy(false);
    if (!added.ok) return setError(added.error.message);
    setEmail('');
    setName('');
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
          aria-describedby={ids.emailHint}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <p id={ids.emailHint} className="cartae-admin__hint">
          The email they signed up with; they must have an account already.
        </p>
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={ids.name}>Name (optional)</label>
        <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.target.value)} />
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
