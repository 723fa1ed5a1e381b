/**
 * The few Workers runtime types this Worker uses, declared here instead of loading
 * `@cloudflare/workers-types` globally: those replace the Fetch API's DOM types with variants
 * (`TextDecoderConstructorOptions.ignoreBOM` required, no `globalThis.crypto`) that the shared,
 * runtime-free `@cartae/marketplace-core` source does not compile against. Signatures follow
 * workers-types; only what the code calls is declared.
 */
interface KVNamespaceGetWithMetadataResult<Value, Metadata> {
  readonly value: Value | null;
  readonly metadata: Metadata | null;
}

interface KVNamespacePutOptions {
  expiration?: number;
  expirationTtl?: number;
  metadata?: unknown;
}

interface KVNamespaceListResult {
  readonly keys: { name: string; expiration?: number; metadata?: unknown }[];
  readonly list_complete: boolean;
  readonly cursor?: string;
}

interface KVNamespace {
  get(key: string, type: 'text'): Promise<string | null>;
  get<T = unknown>(key: string, type: 'json'): Promise<T | null>;
  get(key: string, options: { type: 'arrayBuffer'; cacheTtl?: number }): Promise<ArrayBuffer | null>;
  getWithMetadata<Metadata = unknown>(
    key: string,
    options: { type: 'arrayBuffer'; cacheTtl?: number },
  ): Promise<KVNamespaceGetWithMetadataResult<ArrayBuffer, Metadata>>;
  put(
    key: string,
    value: string | ArrayBuffer | ArrayBufferView,
    options?: KVNamespacePutOptions,
  ): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; limit?: number; cursor?: string }): Promise<KVNamespaceListResult>;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: unknown;
}

interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

interface ExportedHandler<Env = unknown> {
  fetch?: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;
  scheduled?: (controller: ScheduledController, env: Env, ctx: ExecutionContext) => void | Promise<void>;
}

// Durable Objects (the usage aggregator): only what src/usage/ and its tests call.

interface DurableObjectId {
  toString(): string;
  equals(other: DurableObjectId): boolean;
  readonly name?: string;
}

/**
 * A stub's RPC surface: every method of the object, answered as a promise. (workers-types derives
 * it through `Rpc.Provider`; this is the part that matters for plain-data arguments and results.)
 */
type DurableObjectRpc<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

type DurableObjectStub<T = undefined> = {
  readonly id: DurableObjectId;
  readonly name?: string;
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
} & (T extends undefined ? unknown : DurableObjectRpc<Omit<T, 'fetch' | 'alarm'>>);

interface DurableObjectNamespace<T = undefined> {
  idFromName(name: string): DurableObjectId;
  idFromString(id: string): DurableObjectId;
  get(id: DurableObjectId): DurableObjectStub<T>;
}

type SqlStorageValue = ArrayBuffer | string | number | null;

interface SqlStorageCursor<T extends Record<string, SqlStorageValue>> {
  toArray(): T[];
  one(): T;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  [Symbol.iterator](): IterableIterator<T>;
}

interface SqlStorage {
  exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]): SqlStorageCursor<T>;
  readonly databaseSize: number;
}

interface DurableObjectStorage {
  readonly sql: SqlStorage;
  transactionSync<T>(closure: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number | Date): Promise<void>;
  deleteAlarm(): Promise<void>;
  deleteAll(): Promise<void>;
}

interface DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  waitUntil(promise: Promise<unknown>): void;
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
}

declare module 'cloudflare:workers' {
  /** Base class of Durable Objects whose public methods are callable over RPC from a stub. */
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
    alarm?(alarmInfo?: { readonly retryCount: number; readonly isRetry: boolean }): void | Promise<void>;
    fetch?(request: Request): Response | Promise<Response>;
  }
}
