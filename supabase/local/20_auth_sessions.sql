-- LOCAL AND TEST USE ONLY — never apply this file to a real Supabase project.
--
-- The session and refresh-token tables the local Auth stand-in needs, shaped after GoTrue's
-- `auth.sessions` and `auth.refresh_tokens` (only the columns the stand-in uses). Idempotent.

create table if not exists auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  token text not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null references auth.sessions (id) on delete cascade,
  parent text,
  revoked boolean not null default false,
  created_at timestamptz not null default now()
);

create index if not exists refresh_tokens_session_id_idx on auth.refresh_tokens (session_id);

-- Only the owner (the stand-in's own connection) reads or writes these, as with GoTrue.
revoke all on auth.sessions, auth.refresh_tokens from public, anon, authenticated;
