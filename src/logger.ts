import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Request fields that carry credentials; pino replaces them wherever they appear in a log object. */
const REDACT_PATHS = [
  'authorization',
  'Authorization',
  'headers.authorization',
  'headers.Authorization',
  'req.headers.authorization',
  'req.headers.Authorization',
  'password',
  'MicrosoftAppPassword',
  'connectionString',
  'STORAGE_CONNECTION_STRING',
  '*.password',
  '*.MicrosoftAppPassword',
  '*.connectionString',
  '*.STORAGE_CONNECTION_STRING',
];

/** Credentials can also hide inside error messages and stacks, where path redaction cannot reach. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g, '[jwt]'],
  [/(Bearer\s+)[^\s"\\]+/gi, '$1[redacted]'],
  [/(AccountKey=)[^;"\\\s]+/gi, '$1[redacted]'],
  [/(SharedAccessSignature=|[?&]sig=)[^;&"\\\s]+/gi, '$1[redacted]'],
];

const knownSecrets = new Set<string>();

/**
 * Registers configured secret values (app password, storage key …) so that no log line can ever contain them,
 * whatever object or message they travel in. Values shorter than 6 characters are ignored to keep logs readable.
 */
export function registerSecrets(...values: (string | undefined)[]): void {
  for (const value of values) {
    if (value && value.length >= 6) knownSecrets.add(value);
  }
}

/** Removes credentials from one serialized log line. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    // the same secret as it appears inside a JSON string (quotes and backslashes escaped)
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[redacted]');
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export interface LoggerOptions {
  /** pino level (settings.logLevel, from LOG_LEVEL); defaults to "info" ("silent" turns logging off). */
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** A JSON-lines logger: one object per line, secrets redacted by path and scrubbed by value. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'partner-support-router' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      hooks: { streamWrite: scrubSecrets },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
