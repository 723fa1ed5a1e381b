import type { SupabaseClient } from '@supabase/supabase-js';
import { useId, useState } from 'react';

/**
 * Email + password sign-in with `supabase.auth.signInWithPassword`, at a readable width; errors
 * said plainly, and where the local stack's development credentials are to be found.
 */
export function SignInForm(props: { supabase: SupabaseClient }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const emailId = useId();
  const passwordId = useId();
  const hintId = useId();

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
    <form
      className="cartae-admin cartae-admin__sign-in"
      onSubmit={submit}
      aria-labelledby="sign-in-heading"
      aria-describedby={hintId}
    >
      <h1 id="sign-in-heading">Sign in to the marketplace admin</h1>
      <p id={hintId} className="cartae-admin__hint">
        Running the local stack? <code>npm start</code> prints the development admin's email and password in
        its terminal.
      </p>
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
