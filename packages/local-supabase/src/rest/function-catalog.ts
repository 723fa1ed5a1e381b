import type { SqlSession } from '../database/database.ts';

/** What the stand-in needs to know of one function in `public` to call it the PostgREST way. */
export interface FunctionSignature {
  name: string;
  /** Input arguments in declaration order. */
  args: { name: string; type: string }[];
  /** How many trailing arguments have defaults. */
  defaults: number;
  returnsSet: boolean;
  /** `c` composite (a row type), `v` void, `s` any other scalar. */
  returns: 'composite' | 'void' | 'scalar';
  /** `i` immutable, `s` stable, `v` volatile. */
  volatility: 'i' | 's' | 'v';
}

const CATALOG_QUERY = `
select p.proname as name,
       coalesce(p.proargnames, '{}') as arg_names,
       coalesce(p.proargmodes::text[], '{}') as arg_modes,
       coalesce(
         (select array_agg(format_type(t.oid, null) order by a.ord)
            from unnest(p.proargtypes::oid[]) with ordinality as a(oid, ord)
            join pg_type t on t.oid = a.oid),
         '{}') as arg_types,
       p.pronargdefaults as defaults,
       p.proretset as returns_set,
       p.provolatile as volatility,
       rt.typtype as return_type_kind,
       rt.typname as return_type_name
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type rt on rt.oid = p.prorettype
 where n.nspname = 'public' and p.proname = $1 and p.prokind = 'f'`;

interface CatalogRow {
  name: string;
  arg_names: string[];
  arg_modes: string[];
  arg_types: string[];
  defaults: number;
  returns_set: boolean;
  volatility: 'i' | 's' | 'v';
  return_type_kind: string;
  return_type_name: string;
}

/**
 * The functions of schema `public`, looked up by name on first use and remembered, like
 * PostgREST's schema cache. A name that is not found is looked up again next time, so functions
 * created after start-up (a new migration) are seen without a restart.
 */
export function createFunctionCatalog(session: SqlSession): {
  lookup(name: string): Promise<FunctionSignature[]>;
} {
  const known = new Map<string, FunctionSignature[]>();
  return {
    async lookup(name) {
      const cached = known.get(name);
      if (cached) return cached;
      const { rows } = await session.query<CatalogRow>(CATALOG_QUERY, [name]);
      const signatures = rows.map(toSignature);
      if (signatures.length > 0) known.set(name, signatures);
      return signatures;
    },
  };
}

function toSignature(row: CatalogRow): FunctionSignature {
  const inputNames =
    row.arg_modes.length === 0
      ? row.arg_names.slice(0, row.arg_types.length)
      : row.arg_names.filter((_, i) => ['i', 'b', 'v'].includes(row.arg_modes[i] ?? 'i'));
  return {
    name: row.name,
    args: row.arg_types.map((type, i) => ({ name: inputNames[i] ?? '', type })),
    defaults: row.defaults,
    returnsSet: row.returns_set,
    returns: row.return_type_name === 'void' ? 'void' : row.return_type_kind === 'c' ? 'composite' : 'scalar',
    volatility: row.volatility,
  };
}

/**
 * The overload PostgREST would pick for these argument names: every given name is an argument,
 * every argument without a default is given. Unnamed arguments cannot be called by name.
 */
export function pickOverload(
  signatures: readonly FunctionSignature[],
  givenNames: readonly string[],
): FunctionSignature | undefined {
  return signatures.find((signature) => {
    const names = signature.args.map((a) => a.name);
    if (names.some((n) => n === '')) return false;
    const required = names.slice(0, names.length - signature.defaults);
    return givenNames.every((n) => names.includes(n)) && required.every((n) => givenNames.includes(n));
  });
}

/**
 * PostgREST's fallback when no overload matches by name: a POSTed body goes whole to a function
 * with a single unnamed parameter of the body's type (`Plan.hs`, `hasSingleUnnamedParam`): `json`
 * or `jsonb` for JSON, `text` for text/plain, `xml` for text/xml, `bytea` for octet-stream.
 */
export function pickSingleUnnamed(
  signatures: readonly FunctionSignature[],
  bodyType: 'json' | 'text' | 'xml' | 'bytea',
): FunctionSignature | undefined {
  const accepted = bodyType === 'json' ? ['json', 'jsonb'] : [bodyType];
  const candidates = signatures.filter(
    (s) => s.args.length === 1 && s.args[0]?.name === '' && accepted.includes(s.args[0].type),
  );
  // Two candidates are PostgREST's PGRST203 (ambiguous); the stand-in simply finds none.
  return candidates.length === 1 ? candidates[0] : undefined;
}
