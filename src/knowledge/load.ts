import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { AnswerSlots, FamilyId, Knowledge, PlanId, PortalId, QuestionId, SeverityId } from './schema';

export const defaultKnowledgeFile = path.join(import.meta.dirname, 'routing.yaml');

/** Teams turns a choice list into numbered text when any button title is longer than this. */
export const maxChoiceLabelLength = 20;

type PathSegment = string | number;

interface Problem {
  path: PathSegment[];
  message: string;
}

/** A knowledge file that cannot be used; the message lists every problem, one per line. */
export class KnowledgeError extends Error {
  readonly file: string;
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(problems.join('\n'));
    this.name = 'KnowledgeError';
    this.file = file;
    this.problems = problems;
  }
}

export function loadKnowledge(file: string = defaultKnowledgeFile): Knowledge {
  const fileName = path.basename(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KnowledgeError(file, [`${fileName}: cannot be read: ${(error as Error).message}`]);
  }

  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new KnowledgeError(
      file,
      document.errors.map((error) => {
        const at = error.linePos?.[0];
        const where = at ? `line ${at.line}, column ${at.col}` : `offset ${error.pos[0]}`;
        // The parser repeats the position and adds a code frame; keep its first sentence only.
        const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return `${fileName}: ${where}: YAML syntax error: ${message}`;
      }),
    );
  }
  const raw: unknown = document.toJS();

  const parsed = Knowledge.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol'),
      message: issue.message,
    }));
    throw new KnowledgeError(file, describe(fileName, raw, problems));
  }

  const crossProblems = crossCheck(parsed.data);
  if (crossProblems.length > 0) throw new KnowledgeError(file, describe(fileName, raw, crossProblems));
  return parsed.data;
}

let cached: Knowledge | undefined;

/** The shipped knowledge file, validated once per process (the server calls this at start-up). */
export function getKnowledge(): Knowledge {
  cached ??= loadKnowledge();
  return cached;
}

/** "routing.yaml: knownErrors[2] (id "code8") › fix.0.en: <message>" — the entry by its id, then the field. */
function describe(fileName: string, raw: unknown, problems: Problem[]): string[] {
  return problems.map(({ path: problemPath, message }) => {
    let entryEnd = -1;
    let entryId: string | undefined;
    let node: unknown = raw;
    problemPath.forEach((segment, index) => {
      node =
        isRecord(node) || Array.isArray(node) ? (node as Record<PathSegment, unknown>)[segment] : undefined;
      if (typeof segment === 'number' && isRecord(node) && typeof node.id === 'string') {
        entryEnd = index;
        entryId = node.id;
      }
    });
    if (entryEnd === -1) entryEnd = Math.min(0, problemPath.length - 1);
    const entry = formatEntry(problemPath.slice(0, entryEnd + 1));
    const field = problemPath.slice(entryEnd + 1).join('.');
    const named = entryId === undefined ? entry : `${entry} (id "${entryId}")`;
    const where = [named || '(top level)', field].filter(Boolean).join(' › ');
    return `${fileName}: ${where}: ${message}`;
  });
}

function formatEntry(segments: PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rules zod cannot express on one field: references between entries and completeness of the answer space. */
function crossCheck(knowledge: Knowledge): Problem[] {
  const problems: Problem[] = [];
  const linkIds = new Set([...knowledge.links.map((l) => l.id), ...knowledge.kbs.map((k) => k.id)]);

  const checkLinks = (links: string[], at: PathSegment[]) =>
    links.forEach((id, i) => {
      if (!linkIds.has(id))
        problems.push({
          path: [...at, 'links', i],
          message: `unknown link id "${id}" (not a links[].id or kbs[].id)`,
        });
    });

  const checkUnique = (entries: { id: string }[], at: PathSegment[]) => {
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      if (seen.has(entry.id))
        problems.push({ path: [...at, i, 'id'], message: `duplicate id "${entry.id}"` });
      seen.add(entry.id);
    });
  };

  /** Every value of the enum has exactly one entry. */
  const checkCovers = (
    entries: { id: string }[],
    values: readonly string[],
    at: PathSegment[],
    what: string,
  ) => {
    for (const value of values) {
      if (!entries.some((entry) => entry.id === value))
        problems.push({ path: at, message: `missing ${what} "${value}"` });
    }
    checkUnique(entries, at);
  };

  for (const [name, steps] of Object.entries(knowledge.stepGroups)) {
    steps.forEach((step, i) => checkLinks(step.links, ['stepGroups', name, i]));
  }
  knowledge.caveats.forEach((caveat, i) => checkLinks(caveat.links, ['caveats', i]));
  knowledge.knownErrors.forEach((error, i) => checkLinks(error.links, ['knownErrors', i]));
  knowledge.notEligible.forEach((entry, i) => checkLinks(entry.links, ['notEligible', i]));
  knowledge.redirects.forEach((redirect, i) => checkLinks(redirect.links, ['redirects', i]));

  const usedGroups = new Set<string>();
  knowledge.families.forEach((family, i) =>
    family.stepGroups.forEach((group, j) => {
      usedGroups.add(group);
      if (!(group in knowledge.stepGroups))
        problems.push({ path: ['families', i, 'stepGroups', j], message: `unknown step group "${group}"` });
    }),
  );
  for (const group of Object.keys(knowledge.stepGroups)) {
    if (!usedGroups.has(group))
      problems.push({ path: ['stepGroups', group], message: 'step group is not used by any family' });
  }

  const questions = knowledge.questions;
  for (const question of QuestionId.options) {
    const options = questions[question].options;
    checkCovers(options, AnswerSlots[question].options, ['questions', question, 'options'], 'option');
    options.forEach((option, i) => {
      for (const lang of ['ja', 'en'] as const) {
        const length = [...option.label[lang]].length;
        if (length > maxChoiceLabelLength) {
          problems.push({
            path: ['questions', question, 'options', i, 'label', lang],
            message: `choice label has ${length} characters; at most ${maxChoiceLabelLength} (Teams turns longer ones into a numbered text list)`,
          });
        }
      }
    });
  }
  questions.product.options.forEach((option, i) => {
    if (option.family === 'dynamics365' && option.portal === undefined) {
      problems.push({
        path: ['questions', 'product', 'options', i, 'portal'],
        message: 'a Dynamics 365 product must name its portal',
      });
    }
  });

  checkCovers(knowledge.portals, PortalId.options, ['portals'], 'portal');
  checkCovers(knowledge.plans, PlanId.options, ['plans'], 'plan');
  checkCovers(knowledge.families, FamilyId.options, ['families'], 'family');
  checkCovers(
    knowledge.severity.levels.map((level) => ({ id: level.id })),
    SeverityId.options,
    ['severity', 'levels'],
    'severity level',
  );

  // Step ids are unique across all groups: a route's lines are told apart by id.
  const stepIds = new Set<string>();
  for (const [name, steps] of Object.entries(knowledge.stepGroups)) {
    steps.forEach((step, i) => {
      if (stepIds.has(step.id))
        problems.push({ path: ['stepGroups', name, i, 'id'], message: `duplicate id "${step.id}"` });
      stepIds.add(step.id);
    });
  }
  for (const list of [
    'caveats',
    'notEligible',
    'kbs',
    'links',
    'knownErrors',
    'redirects',
    'facts',
  ] as const) {
    checkUnique(knowledge[list], [list]);
  }
  knowledge.links.forEach((link, i) => {
    if (knowledge.kbs.some((kb) => kb.id === link.id))
      problems.push({ path: ['links', i, 'id'], message: `id "${link.id}" is also a kbs[].id` });
  });

  for (const lang of ['ja', 'en'] as const) {
    if (!knowledge.entitlements.incidents[lang].includes('{count}')) {
      problems.push({
        path: ['entitlements', 'incidents', lang],
        message: 'must contain the {count} placeholder',
      });
    }
  }
  return problems;
}
