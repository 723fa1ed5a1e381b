import type { KeyValueStorage, StorageWriteFailure } from './key-value-storage.ts';

/** The slice of `indexedDB` this adapter uses (a stand-in can be passed to `createIndexedDbStorage`). */
type IdbFactory = Pick<IDBFactory, 'open'>;

const STORE = 'values';

/**
 * Persists in the browser's IndexedDB, one object store of strings: sized for megabytes (the
 * origin's quota, typically a share of the disk, where localStorage holds ~5 M characters).
 * Nothing throws: a database that cannot be opened (private mode, disabled, blocked by an older
 * tab) reads as empty, and a write it refuses resolves to a {@link StorageWriteFailure} —
 * `storage_full` for a QuotaExceededError, `storage_unavailable` otherwise.
 *
 * @example
 * const storage = createIndexedDbStorage();
 * const failure = await storage.set('registry', text); // undefined once stored
 */
export function createIndexedDbStorage(
  databaseName = 'cartae-marketplace',
  factory?: IdbFactory,
): KeyValueStorage {
  let opening: Promise<IDBDatabase | StorageWriteFailure> | undefined;
  const open = (): Promise<IDBDatabase | StorageWriteFailure> => {
    opening ??= openDatabase(databaseName, factory).then((db) => {
      // Opening failed: try again on the next call, the browser may allow it by then.
      if (!isDatabase(db)) opening = undefined;
      else
        db.onversionchange = () => {
          db.close();
          opening = undefined;
        };
      return db;
    });
    return opening;
  };
  return {
    async get(key) {
      const db = await open();
      if (!isDatabase(db)) return undefined;
      try {
        const value = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key));
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const db = await open();
      if (!isDatabase(db)) return db;
      try {
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(value, key);
        const failed = await settled(tx);
        return failed ? writeFailure(failed, key) : undefined;
      } catch (error) {
        return writeFailure(error, key);
      }
    },
    async remove(key) {
      const db = await open();
      if (!isDatabase(db)) return;
      try {
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).delete(key);
        await settled(tx);
      } catch {
        // Nothing to remove where nothing can be written.
      }
    },
  };
}

function isDatabase(opened: IDBDatabase | StorageWriteFailure): opened is IDBDatabase {
  return 'transaction' in opened;
}

function openDatabase(
  name: string,
  given: IdbFactory | undefined,
): Promise<IDBDatabase | StorageWriteFailure> {
  const unavailable = (why: string): StorageWriteFailure => ({
    code: 'storage_unavailable',
    message: `IndexedDB is not available (${why})`,
  });
  return new Promise((resolve) => {
    try {
      const factory = given ?? (globalThis as { indexedDB?: IdbFactory }).indexedDB;
      if (!factory) return resolve(unavailable('no indexedDB in this runtime'));
      const opening = factory.open(name, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => resolve(unavailable(String(opening.error?.name ?? 'open failed')));
      opening.onblocked = () => resolve(unavailable('blocked by another tab holding an older version'));
    } catch (error) {
      // Some browsers throw SecurityError here (private mode, storage disabled for the site).
      resolve(unavailable(String((error as { name?: unknown }).name ?? error)));
    }
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction commits: undefined, or the error that aborted it. */
function settled(tx: IDBTransaction): Promise<unknown> {
  return new Promise((resolve) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = () => resolve(tx.error ?? new DOMException('write failed', 'UnknownError'));
    tx.onabort = () => resolve(tx.error ?? new DOMException('write aborted', 'AbortError'));
  });
}

function writeFailure(error: unknown, key: string): StorageWriteFailure {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'QuotaExceededError'
    ? { code: 'storage_full', message: `IndexedDB is over its quota (QuotaExceededError) writing "${key}"` }
    : { code: 'storage_unavailable', message: `IndexedDB refused "${key}" (${String(name ?? error)})` };
}
