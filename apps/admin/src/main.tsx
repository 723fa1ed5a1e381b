import '@cartae/plugin-admin/styles.css';
import { adminPlugin } from '@cartae/plugin-admin';
import { createClient, type Session } from '@supabase/supabase-js';
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { SignInForm } from './SignInForm.tsx';

const supabaseUrl = import.meta.env.VITE_SUPABASE_URL;
const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY;
const urlPolicy = { allowLoopbackHttp: import.meta.env.VITE_ALLOW_LOOPBACK_HTTP === '1' };
/** One client for the page: several would compete for the same stored session. */
const supabase = supabaseUrl && anonKey ? createClient(supabaseUrl, anonKey) : undefined;

function AdminPage() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!supabase) return;
    void supabase.auth.getSession().then(({ data }) => setSession(data.session));
    const { data } = supabase.auth.onAuthStateChange((_event, next) => setSession(next));
    return () => data.subscription.unsubscribe();
  }, []);

  // Mounted once per signed-in user: a token refresh gives a new session object, not a new user.
  const userId = session?.user.id;
  useEffect(() => {
    if (!supabase || !userId || !host.current) return;
    return adminPlugin.mount(host.current, { supabase, urlPolicy });
  }, [userId]);

  if (!supabase) {
    return (
      <p role="alert" className="cartae-admin">
        This page is not configured: set VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY.
      </p>
    );
  }
  if (session === undefined) return <p className="cartae-admin">Loading…</p>;
  if (!session) return <SignInForm supabase={supabase} />;
  return (
    <>
      <header className="cartae-admin cartae-admin__signed-in">
        Signed in as {session.user.email}{' '}
        <button type="button" onClick={() => void supabase.auth.signOut()}>
          Sign out
        </button>
      </header>
      <div ref={host} />
    </>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AdminPage />
    </StrictMode>,
  );
}
