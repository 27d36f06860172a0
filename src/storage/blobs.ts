import { ContainerClient, RestError, type StoragePipelineOptions } from '@azure/storage-blob';
import type { StoreItem } from 'botbuilder';
import { BlobsStorage, BlobsTranscriptStore } from 'botbuilder-azure-blobs';
// The key-to-blob-name rule BlobsStorage reads with: our writes must land on the very same blob names.
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { ETagConflictError, type ConditionalStorage } from './conditional';
import type { StorageHealth } from './index';
import { StorageError } from './settings';

export interface BlobLocation {
  connectionString: string;
  container: string;
  timeoutMs: number;
}

/** A few quick retries: a partner waits for this turn, and the channel retries the whole turn anyway. */
function pipelineOptions(timeoutMs: number): StoragePipelineOptions {
  return {
    retryOptions: { maxTries: 3, tryTimeoutInMs: timeoutMs, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 },
  };
}

/** The container client, or a one-line StorageError when the connection string cannot even be parsed. */
function openContainer(location: BlobLocation, options: StoragePipelineOptions): ContainerClient {
  try {
    return new ContainerClient(location.connectionString, location.container, options);
  } catch (error) {
    throw new StorageError(`Invalid STORAGE_CONNECTION_STRING: ${firstLine(error)}`);
  }
}

/**
 * Bot Framework's BlobsStorage (reads, deletes, blob names and JSON format unchanged) plus a conditional write:
 * If-Match the eTag we read, or If-None-Match * for a conversation that did not exist yet, returning the new eTag.
 */
export class ConditionalBlobsStorage extends BlobsStorage implements ConditionalStorage {
  private readonly containerClient: ContainerClient;
  private containerReady?: Promise<unknown>;

  constructor(location: BlobLocation) {
    const options = pipelineOptions(location.timeoutMs);
    const containerClient = openContainer(location, options);
    super(location.connectionString, location.container, { storagePipelineOptions: options });
    this.containerClient = containerClient;
  }

  async writeIfUnchanged(key: string, item: StoreItem, expected: string | null): Promise<string> {
    this.containerReady ??= this.containerClient.createIfNotExists();
    await this.containerReady;
    const body = JSON.stringify(item);
    try {
      const written = await this.containerClient
        .getBlockBlobClient(sanitizeBlobKey(key))
        .upload(body, Buffer.byteLength(body), {
          conditions: expected === null ? { ifNoneMatch: '*' } : { ifMatch: expected },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      if (!written.etag) throw new Error(`Storage: no eTag returned for "${key}"`);
      return written.etag;
    } catch (error) {
      // 412: the eTag moved on; 409: someone created the conversation's state first.
      if (error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409)) {
        throw new ETagConflictError(key);
      }
      throw error;
    }
  }
}

/** Transcripts of every instance in one place: Bot Framework's own blob transcript store. */
export function createBlobTranscriptStore(location: BlobLocation): BlobsTranscriptStore {
  return new BlobsTranscriptStore(location.connectionString, location.container, {
    storagePipelineOptions: pipelineOptions(location.timeoutMs),
  });
}

/**
 * Resolves when the container answers (creating it first if `create`), rejects with a one-line StorageError
 * otherwise: within the timeout, without retries, never naming the key.
 */
export async function checkBlobContainer(location: BlobLocation, create: boolean): Promise<StorageHealth> {
  const container = openContainer(location, {
    retryOptions: { maxTries: 1, tryTimeoutInMs: location.timeoutMs },
  });
  const started = performance.now();
  try {
    const abortSignal = AbortSignal.timeout(location.timeoutMs);
    await (create ? container.createIfNotExists({ abortSignal }) : container.getProperties({ abortSignal }));
    return { kind: 'blobs', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    throw new StorageError(describeFailure(error, location, container.url));
  }
}

function describeFailure(error: unknown, location: BlobLocation, url: string): string {
  const where = `container "${location.container}" at ${url.replace(/\?.*$/, '')}`;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return `Storage unreachable: no answer from ${where} within ${location.timeoutMs} ms`;
  }
  if (error instanceof RestError && error.statusCode === 404) {
    return `Storage: ${where} does not exist (deleted after start-up?)`;
  }
  if (error instanceof RestError && error.statusCode === 403) {
    return `Storage refused access to ${where}: check the account name and key in STORAGE_CONNECTION_STRING`;
  }
  if (error instanceof RestError && error.statusCode) {
    return `Storage error ${error.statusCode} (${error.code ?? 'unknown'}) from ${where}`;
  }
  return `Storage unreachable: ${where}: ${firstLine(error)}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
