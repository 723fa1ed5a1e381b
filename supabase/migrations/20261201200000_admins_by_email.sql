-- Admins managed from the panel and the CLI by email (issue 14, point 11: "an Admins screen (list,
-- add by email, remove; never the last admin)"). The functions of 20251031000000 need a user id,
-- which an admin cannot see, and nothing listed the admins through a function (the local
-- stand-in serves functions only, like every other screen of the panel).
--
--   list_marketplace_admins()                              admins: every admin, by email
--   add_marketplace_admin_by_email(p_email, p_display_name) admins: the user who signed up with that
--       email (case-insensitive) becomes an admin; PT404 when nobody signed up with it
--   add_marketplace_admin(p_user_id, …)                    now refuses an id that is no user
--       (PT404), so a mistyped id no longer makes a phantom admin
-- Anon and signed-in users who are not admins: 42501, as for every admin function.

create or replace function public.list_marketplace_admins()
returns table (user_id uuid, email text, display_name text, added_at timestamptz)
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  return query
    select a.user_id, a.email, a.display_name, a.added_at from public.marketplace_admins a order by lower(a.email);
end
$$;
comment on function public.list_marketplace_admins() is
  'Admins only: every marketplace admin (user id, email, display name, when added), by email.';
revoke all on function public.list_marketplace_admins() from public;
grant execute on function public.list_marketplace_admins() to authenticated, service_role;

-- 20251031000000's body, refusing an id that names no user.
create or replace function public.add_marketplace_admin(
  p_user_id uuid, p_email text default null, p_display_name text default null
) returns public.marketplace_admins
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.marketplace_admins%rowtype;
  v_email text;
  v_name text := p_display_name;
begin
  perform marketplace_private.require_admin();
  select u.email, coalesce(v_name, u.raw_user_meta_data ->> 'full_name') into v_email, v_name
    from auth.users u where u.id = p_user_id;
  if not found then
    raise exception 'no user has the id %', p_user_id using errcode = 'PT404',
      hint = 'The person signs up first; then add them by their email.';
  end if;
  v_email := coalesce(p_email, v_email);
  insert into public.marketplace_admins (user_id, email, display_name, added_by)
  values (p_user_id, v_email, v_name, auth.uid())
  on conflict (user_id) do update set email = excluded.email, display_name = coalesce(excluded.display_name, public.marketplace_admins.display_name)
  returning * into v_row;
  return v_row;
end
$$;
comment on function public.add_marketplace_admin(uuid, text, text) is
  'Admins or service_role: make a user a marketplace admin (the first admin is added by service_role); PT404 when no user has that id.';
revoke all on function public.add_marketplace_admin(uuid, text, text) from public;
grant execute on function public.add_marketplace_admin(uuid, text, text) to authenticated, service_role;

create or replace function public.add_marketplace_admin_by_email(p_email text, p_display_name text default null)
returns public.marketplace_admins
language plpgsql security definer set search_path = ''
as $$
declare
  v_user uuid;
begin
  perform marketplace_private.require_admin();
  select u.id into v_user from auth.users u where lower(u.email) = lower(btrim(coalesce(p_email, ''))) limit 1;
  if v_user is null then
    raise exception 'nobody has signed up with the email %', left(btrim(coalesce(p_email, '')), 320) using errcode = 'PT404',
      hint = 'The person signs up first; then add them by their email.';
  end if;
  return public.add_marketplace_admin(v_user, null, p_display_name);
end
$$;
comment on function public.add_marketplace_admin_by_email(text, text) is
  'Admins only: make the user who signed up with p_email (case-insensitive) a marketplace admin; PT404 when nobody did.';
revoke all on function public.add_marketplace_admin_by_email(text, text) from public;
grant execute on function public.add_marketplace_admin_by_email(text, text) to authenticated, service_role;
