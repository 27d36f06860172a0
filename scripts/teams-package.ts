/**
 * Builds the Teams app package an admin uploads: teams/build/partner-support-router.zip.
 * Fills the bot id and the publisher's pages into teams/manifest.json from the environment (or .env), validates the
 * manifest and the Japanese localization against the official schemas shipped in @microsoft/app-manifest (offline),
 * checks the icons, and zips manifest.json, ja.json, color.png and outline.png.
 *
 * Environment: MicrosoftAppId (the Azure Bot's app id, required), TEAMS_WEBSITE_URL (https, required),
 * TEAMS_APP_ID (defaults to MicrosoftAppId), TEAMS_PRIVACY_URL and TEAMS_TERMS_URL (default to the website),
 * TEAMS_DEVELOPER_NAME (defaults to "Partner Support Router").
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import AdmZip from 'adm-zip';
import { AppManifestUtils, TeamsManifestConverter } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEAMS_DIR = path.join(root, 'teams');
export const PACKAGE_NAME = 'partner-support-router.zip';

type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
type Manifest = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];

export class TeamsPackageError extends Error {
  override name = 'TeamsPackageError';
}

/** The official schema of this manifest version, read from the package's own copy (never fetched). */
export function localSchema(manifestVersion: string, file = 'MicrosoftTeams.schema.json'): Schema {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const schemaPath = path.join(packageDir, 'build/json-schemas/teams', `v${manifestVersion}`, file);
  if (!existsSync(schemaPath))
    throw new TeamsPackageError(`no offline schema for manifest ${manifestVersion}: ${schemaPath}`);
  return JSON.parse(readFileSync(schemaPath, 'utf8'), unicodeSafePatterns) as Schema;
}

/**
 * The localization schema writes `\b]` (a literal "]") in two patternProperties keys, which ajv's unicode regular
 * expressions reject; escaping it as `\b\]` keeps the meaning and lets the official schema compile.
 */
function unicodeSafePatterns(this: unknown, key: string, value: unknown): unknown {
  if (key !== 'patternProperties' || typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([pattern, rule]) => [pattern.replaceAll('\\b]', '\\b\\]'), rule]),
  );
}

/** The values the manifest's ${{NAME}} placeholders take. */
export function manifestValues(env: Record<string, string | undefined>): Record<string, string> {
  const value = (name: string) => env[name]?.trim() || undefined;
  const appId = value('MicrosoftAppId');
  const website = value('TEAMS_WEBSITE_URL');
  const missing = [
    !appId && 'MicrosoftAppId (the Azure Bot app id)',
    !website && 'TEAMS_WEBSITE_URL (your https page about this bot)',
  ];
  const named = missing.filter((entry): entry is string => Boolean(entry));
  if (named.length) throw new TeamsPackageError(`set ${named.join(' and ')} in the environment or .env`);
  for (const name of ['TEAMS_WEBSITE_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']) {
    const url = value(name);
    if (url && !url.startsWith('https://')) throw new TeamsPackageError(`${name} must be an https URL`);
  }
  const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    MicrosoftAppId: appId!,
    TEAMS_APP_ID: value('TEAMS_APP_ID') ?? appId!,
    APP_VERSION: packageJson.version,
    TEAMS_DEVELOPER_NAME: value('TEAMS_DEVELOPER_NAME') ?? 'Partner Support Router',
    TEAMS_WEBSITE_URL: website!,
    TEAMS_PRIVACY_URL: value('TEAMS_PRIVACY_URL') ?? website!,
    TEAMS_TERMS_URL: value('TEAMS_TERMS_URL') ?? website!,
  };
}

/** teams/manifest.json with its placeholders filled (JSON-escaped, so a value cannot break the file). */
export function fillManifest(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    if (!(name in values)) throw new TeamsPackageError(`manifest.json: no value for ${placeholder}`);
    return JSON.stringify(values[name]).slice(1, -1);
  });
}

/** Schema problems of the manifest and of every localization file it names; empty when all validate. */
export async function validatePackageFiles(
  manifestJson: string,
  readFile: (name: string) => string,
): Promise<string[]> {
  const problems: string[] = [];
  let manifest: Manifest;
  try {
    // the converter also checks the value types the schema's TypeScript twin expects
    manifest = TeamsManifestConverter.jsonToManifest(manifestJson) as Manifest;
  } catch (error) {
    return [`manifest.json: ${(error as Error).message}`];
  }
  const version = (manifest as { manifestVersion: string }).manifestVersion;
  const schemaProblems = await AppManifestUtils.validateAgainstSchema(manifest, localSchema(version));
  problems.push(...schemaProblems.map((problem) => `manifest.json: ${problem}`));

  const localization = (
    JSON.parse(manifestJson) as { localizationInfo?: { additionalLanguages?: { file: string }[] } }
  ).localizationInfo;
  const localizationSchema = localSchema(version, 'MicrosoftTeams.Localization.schema.json');
  for (const { file } of localization?.additionalLanguages ?? []) {
    const strings = JSON.parse(readFile(file)) as Record<string, unknown>;
    const found = await AppManifestUtils.validateAgainstSchema(
      strings as unknown as Manifest,
      localizationSchema,
    );
    problems.push(...found.map((problem) => `${file}: ${problem}`));
    problems.push(
      ...unmatchedKeys(JSON.parse(manifestJson), strings).map(
        (key) => `${file}: ${key} names nothing in manifest.json`,
      ),
    );
  }
  return problems;
}

/** Localized keys such as "bots[0].commandLists[1].commands[2].title" that point at nothing in the manifest. */
function unmatchedKeys(manifest: unknown, strings: Record<string, unknown>): string[] {
  return Object.keys(strings).filter((key) => {
    if (key === '$schema' || key === 'localizationKeys') return false;
    let node: unknown = manifest;
    for (const part of key.split(/\.|\[(\d+)\]/).filter(Boolean)) {
      if (typeof node !== 'object' || node === null) return true;
      node = (node as Record<string, unknown>)[part];
    }
    return typeof node !== 'string';
  });
}

/** Teams wants a 192×192 colour icon and a 32×32 outline that is white on a transparent background. */
export function iconProblems(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const colorPng = PNG.sync.read(color);
  if (colorPng.width !== 192 || colorPng.height !== 192) problems.push('color.png must be 192×192');
  const outlinePng = PNG.sync.read(outline);
  if (outlinePng.width !== 32 || outlinePng.height !== 32) problems.push('outline.png must be 32×32');
  let transparent = 0;
  for (let at = 0; at < outlinePng.data.length; at += 4) {
    const [r, g, b, a] = outlinePng.data.subarray(at, at + 4);
    if (a === 0) transparent++;
    else if (r !== 255 || g !== 255 || b !== 255) {
      problems.push('outline.png must be white on transparent');
      break;
    }
  }
  if (transparent === 0) problems.push('outline.png needs a transparent background');
  return problems;
}

export interface BuiltPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
}

/** Fills, validates and zips; throws TeamsPackageError listing every problem. */
export async function buildTeamsPackage(
  env: Record<string, string | undefined>,
  outDir = path.join(TEAMS_DIR, 'build'),
): Promise<BuiltPackage> {
  const read = (name: string) => readFileSync(path.join(TEAMS_DIR, name));
  const manifestJson = fillManifest(read('manifest.json').toString('utf8'), manifestValues(env));
  const manifest = JSON.parse(manifestJson) as Record<string, unknown> & {
    icons: { color: string; outline: string };
    localizationInfo?: { additionalLanguages?: { file: string }[] };
  };
  const problems = [
    ...(await validatePackageFiles(manifestJson, (name) => read(name).toString('utf8'))),
    ...iconProblems(read(manifest.icons.color), read(manifest.icons.outline)),
  ];
  if (problems.length)
    throw new TeamsPackageError(`the Teams package does not validate:\n  ${problems.join('\n  ')}`);

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(manifestJson));
  const files = [
    manifest.icons.color,
    manifest.icons.outline,
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ];
  for (const file of files) zip.addFile(file, read(file));
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, PACKAGE_NAME);
  zip.writeZip(zipPath);
  return { zipPath, manifest };
}

/** .env values for variables the environment does not set already (as `npm start` users keep them there). */
function withDotEnv(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const file = path.join(root, '.env');
  return existsSync(file) ? { ...parseEnv(readFileSync(file, 'utf8')), ...env } : { ...env };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildTeamsPackage(withDotEnv(process.env)).then(
    ({ zipPath }) =>
      console.log(`Teams app package validated against the official schema and written to ${zipPath}`),
    (error: unknown) => {
      console.error(error instanceof TeamsPackageError ? error.message : error);
      process.exitCode = 1;
    },
  );
}
