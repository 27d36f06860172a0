import { z } from 'zod';
import { parseEnvironment, setting, type Env } from '../settings/environment';
import { DEFAULT_MEMORY_LIMITS, type MemoryLimits } from './memory';

/** Azure's container naming rule: 3–63 lower-case letters, digits and single hyphens, no hyphen at either end. */
const containerName = z
  .string()
  .trim()
  .regex(
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'must be 3-63 lower-case letters, digits or single hyphens',
  );

/** Accepts any of Azure's connection string shapes; the storage client parses the rest. */
const connectionString = z
  .string()
  .trim()
  .refine(
    (text) =>
      /^UseDevelopmentStorage=true;?$/i.test(text) || /(AccountKey|SharedAccessSignature)=/i.test(text),
    'must be an Azure Storage connection string (AccountName=…;AccountKey=… or SharedAccessSignature=…)',
  );

const StorageEnvironment = z
  .object({
    STORAGE_CONNECTION_STRING: setting(connectionString.optional()),
    STORAGE_CONTAINER: setting(containerName.optional()),
    STORAGE_TRANSCRIPT_CONTAINER: setting(containerName.optional()),
    STORAGE_TIMEOUT_MS: setting(z.coerce.number().int().min(100).max(60_000).default(5_000)),
    MEMORY_STATE_MAX_CONVERSATIONS: setting(z.coerce.number().int().min(100).max(10_000_000).optional()),
    MEMORY_STATE_IDLE_MINUTES: setting(
      z.coerce
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 60)
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_CONNECTION_STRING && !env.STORAGE_CONTAINER) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_CONTAINER'],
        message: 'required with STORAGE_CONNECTION_STRING',
      });
    }
    if (env.STORAGE_CONTAINER && !env.STORAGE_CONNECTION_STRING) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_CONNECTION_STRING'],
        message: 'required with STORAGE_CONTAINER',
      });
    }
    if (env.STORAGE_CONTAINER && !env.STORAGE_TRANSCRIPT_CONTAINER && env.STORAGE_CONTAINER.length > 51) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_TRANSCRIPT_CONTAINER'],
        message: 'required when STORAGE_CONTAINER is longer than 51 characters',
      });
    }
  });

/** Where conversation state lives: in this process only, or in an Azure Blob container shared by every instance. */
export type StorageSettings =
  | {
      kind: 'memory';
      /** MEMORY_STATE_*: how many conversations, idle how long, one process keeps; absent = the defaults. */
      limits?: MemoryLimits;
    }
  | {
      kind: 'blobs';
      connectionString: string;
      container: string;
      /** Transcripts get their own container so state can be listed and cleaned up on its own. */
      transcriptContainer: string;
      /** Per request to the store; also bounds the reachability check at start-up. */
      timeoutMs: number;
    };

/** Thrown with one line that names every bad or unreachable storage setting, never the account key. */
export class StorageError extends Error {
  override name = 'StorageError';
}

export function loadStorageSettings(env: Env): StorageSettings {
  const parsed = parseEnvironment(
    StorageEnvironment,
    env,
    (problems) => new StorageError(`Invalid storage configuration (see .env.example): ${problems}`),
  );
  const { STORAGE_CONNECTION_STRING, STORAGE_CONTAINER, STORAGE_TRANSCRIPT_CONTAINER, STORAGE_TIMEOUT_MS } =
    parsed;
  const { MEMORY_STATE_MAX_CONVERSATIONS: maxItems, MEMORY_STATE_IDLE_MINUTES: idleMinutes } = parsed;
  if (!STORAGE_CONNECTION_STRING || !STORAGE_CONTAINER) {
    if (maxItems === undefined && idleMinutes === undefined) return { kind: 'memory' };
    const limits = {
      maxItems: maxItems ?? DEFAULT_MEMORY_LIMITS.maxItems,
      idleMs: idleMinutes !== undefined ? idleMinutes * 60_000 : DEFAULT_MEMORY_LIMITS.idleMs,
    };
    return { kind: 'memory', limits };
  }
  return {
    kind: 'blobs',
    connectionString: STORAGE_CONNECTION_STRING,
    container: STORAGE_CONTAINER,
    transcriptContainer: STORAGE_TRANSCRIPT_CONTAINER ?? `${STORAGE_CONTAINER}-transcripts`,
    timeoutMs: STORAGE_TIMEOUT_MS,
  };
}
