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
