import { z } from 'zod';

/**
 * How every setting is read from the environment (src/config.ts, src/http/settings.ts, src/storage/settings.ts):
 * blank means unset, flags are true / false, switches on / off, and a bad value fails start-up with one line.
 */

export type Env = Record<string, string | undefined>;

/** Thrown with one line that names every bad setting, so start-up fails readably. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A blank line in .env (`MicrosoftAppId=`, or only spaces) means "not set", as in every Bot Framework sample. */
export const blankIsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A setting whose blank value is unset: give `schema` its `.optional()` or `.default()`. */
export const setting = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema);

/** A text setting, trimmed; blank or absent is undefined. */
export const optionalText = (schema: z.ZodString = z.string()) => setting(schema.trim().optional());

/** `true` or `false`; false when unset. */
export const flag = setting(
  z
    .enum(['true', 'false'], 'must be true or false')
    .default('false')
    .transform((value) => value === 'true'),
);

/** `on` or `off` (true when on); `unset` when unset. */
export const onOff = (unset: 'on' | 'off') =>
  setting(
    z
      .enum(['on', 'off'], 'must be on or off')
      .default(unset)
      .transform((value) => value === 'on'),
  );

/** Checks `env` against `schema`; on failure throws `failure("NAME: problem; NAME: problem")`. */
export function parseEnvironment<T extends z.ZodType>(
  schema: T,
  env: Env,
  failure: (problems: string) => Error,
): z.output<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw failure(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
}
