import { type AdminError, type ServiceResult, type SupabaseErrorLike, toAdminError } from './admin-error.ts';

/** One row of `marketplace_admins`. */
export interface MarketplaceAdmin {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly addedAt: string | null;
}

/**
 * The admins as far as this control plane lets a browser see them: the whole list, or — where no
 * list can be read — why not.
 */
export type AdminRoster =
  | { readonly kind: 'listed'; readonly admins: readonly MarketplaceAdmin[] }
  | { readonly kind: 'unlisted'; readonly reason: string };

type Answer = PromiseLike<{ data: unknown; error: SupabaseErrorLike | null; status: number }>;

/**
 * What the admins screen needs of a `supabase-js` client: `rpc` for the two functions, and — only
 * where present — a table read and the signed-in user.
 */
export interface AdminsClient {
  rpc(fn: string, args?: Record<string, unknown>): Answer;
  from?(table: string): { select(columns: string): Answer };
  auth?: { getUser(): PromiseLike<{ data: { user: { id: string; email?: string } | null } }> };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Said where the list cannot be read: no function lists the admins, and the table is not served. */
export const NO_ADMIN_LIST_MESSAGE =
  'This control plane cannot list the admins (it predates list_marketplace_admins, and the marketplace_admins table is not served here). Admins you add or remove on this screen are listed below.';

/**
 * The marketplace admins, through `add_marketplace_admin` and `remove_marketplace_admin`, and the
 * list read from `marketplace_admins` where the client can (Supabase: admins may read the table).
 * Never throws; refusals carry the database's own words (PT403: never the last admin).
 *
 * @example
 * const admins = new MarketplaceAdmins(supabase);
 * const removed = await admins.remove(userId);
 * if (!removed.ok) show(removed.error.message); // "…the last marketplace admin. Add another admin first."
 */
export class MarketplaceAdmins {
  constructor(private readonly client: AdminsClient) {}

  async list(): Promise<ServiceResult<AdminRoster>> {
    const listed = await settle(this.client.rpc('list_marketplace_admins', {}));
    if (!listed.error) {
      const rows = Array.isArray(listed.data) ? listed.data.map(toAdmin) : [];
      return { ok: true, value: { kind: 'listed', admins: rows } };
    }
    // A control plane before 20261201200000 has no such function: read the table where served.
    if (listed.error.code !== 'PGRST202' && listed.status !== 404) {
      return { ok: false, error: toAdminError(listed.error, listed.status) };
    }
    if (typeof this.client.from !== 'function') {
      return { ok: true, value: { kind: 'unlisted', reason: NO_ADMIN_LIST_MESSAGE } };
    }
    const answer = await settle(
      this.client.from('marketplace_admins').select('user_id,email,display_name,added_at'),
    );
    if (answer.error?.code === 'PGRST205' || answer.status === 404) {
      return { ok: true, value: { kind: 'unlisted', reason: NO_ADMIN_LIST_MESSAGE } };
    }
    if (answer.error) return { ok: false, error: toAdminError(answer.error, answer.status) };
    const rows = Array.isArray(answer.data) ? answer.data.map(toAdmin) : [];
    rows.sort((a, b) => a.email.localeCompare(b.email));
    return { ok: true, value: { kind: 'listed', admins: rows } };
  }

  /** The signed-in user, when the client knows it (to mark "you" and warn before removing yourself). */
  async currentUser(): Promise<{ id: string; email: string | undefined } | undefined> {
    try {
      const user = (await this.client.auth?.getUser())?.data.user;
      return user ? { id: user.id, email: user.email } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Makes the user who signed up with `email` an admin (`add_marketplace_admin_by_email`); PT404,
   * in the database's words, when nobody did.
   */
  async add(input: { email: string; displayName?: string }): Promise<ServiceResult<MarketplaceAdmin>> {
    const email = input.email.trim();
    if (!EMAIL.test(email)) return invalid('Enter the new admin’s email address, like ada@example.com.');
    const answer = await settle(
      this.client.rpc('add_marketplace_admin_by_email', {
        p_email: email,
        p_display_name: input.displayName?.trim() || null,
      }),
    );
    if (answer.error) return { ok: false, error: adminsError(answer.error, answer.status) };
    return { ok: true, value: toAdmin(answer.data) };
  }

  /** Removes an admin; the database refuses to remove the last one (PT403), in its own words. */
  async remove(userId: string): Promise<ServiceResult<boolean>> {
    const answer = await settle(this.client.rpc('remove_marketplace_admin', { p_user_id: userId }));
    if (answer.error) return { ok: false, error: adminsError(answer.error, answer.status) };
    return { ok: true, value: answer.data === true };
  }
}

async function settle(answer: Answer): Promise<Awaited<Answer>> {
  try {
    return await answer;
  } catch (cause) {
    return { data: null, error: { message: String((cause as Error)?.message ?? cause) }, status: 0 };
  }
}

function invalid(message: string): { ok: false; error: AdminError } {
  return { ok: false, error: { kind: 'invalid', message } };
}

/** PT403 is the last-admin refusal, not "you are not an admin": say what the database said. */
function adminsError(error: SupabaseErrorLike, status: number): AdminError {
  if (error.code === 'PT404' || error.code === 'PT403') {
    const hint = error.hint ? ` ${error.hint}` : '';
    const said = error.message.charAt(0).toUpperCase() + error.message.slice(1);
    return { kind: 'invalid', message: `${said}.${hint}` };
  }
  return toAdminError(error, status);
}

function toAdmin(data: unknown): MarketplaceAdmin {
  const row = (Array.isArray(data) ? data[0] : data) as Record<string, unknown>;
  return {
    userId: String(row?.user_id ?? ''),
    email: String(row?.email ?? ''),
    displayName: typeof row?.display_name === 'string' ? row.display_name : null,
    addedAt: typeof row?.added_at === 'string' ? row.added_at : null,
  };
}
