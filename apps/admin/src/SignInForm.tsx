import type { SupabaseClient } from '@supabase/supabase-js';
import { useId, useState } from 'react';

/** Email + password sign-in with `supabase.auth.signInWithPassword`; errors said plainly. */
export function SignInForm(props: { supabase: SupabaseClient }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const emailId = useId();
  const passwordId = useId();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { error: failure } = await props.supabase.auth.signInWithPassword({
        email: email.trim(),
        password,
      });
      if (failure) {
        setError(
          failure.code === 'invalid_credentials'
            ? 'Wrong email or password.'
            : failure.status === 0 || failure.name === 'AuthRetryableFetchError'
              ? 'The control plane cannot be reached. Check your connection and try again.'
              : failure.message,
        );
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="cartae-admin" onSubmit={submit} aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in to the marketplace admin</h1>
      <div className="cartae-admin__field">
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="cartae-admin__field">
        <label htmlFor={passwordId}>Password</label>
        <input
          id={passwordId}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {error && (
        <p role="alert" className="cartae-admin__bad">
          {error}
        </p>
      )}
      <p>
        <button type="submit" className="cartae-admin__primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </p>
    </form>
  );
}
