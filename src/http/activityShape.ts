/**
 * Fields of an activity that botbuilder dereferences without checking: a wrong type there would fail the turn
 * deep inside the SDK (a 500, or a stack overflow when state is saved). The endpoint itself checks type, channel,
 * conversation and sender (src/server.ts).
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isAccount = (value: unknown) => isRecord(value) && typeof value.id === 'string';

/** Real activities nest a few levels (a card inside an attachment); thousands overflow the stack when state is saved. */
export const MAX_JSON_DEPTH = 64;

/** How deeply a parsed JSON value nests, counted without recursion, stopping once past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A mention the SDK can strip from the text: it reads `text` and `mentioned.id` without checking. */
const isEntity = (value: unknown) =>
  isRecord(value) &&
  typeof value.type === 'string' &&
  (value.type !== 'mention' || (typeof value.text === 'string' && isAccount(value.mentioned)));

/** What is wrong with an activity the SDK would trip over (mentions, reply ids, member lists), or undefined. */
export function activityProblem(activity: Record<string, unknown>): string | undefined {
  if (nestingDepth(activity, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return `nested more than ${MAX_JSON_DEPTH} levels deep`;
  }
  for (const field of ['id', 'replyToId', 'serviceUrl'] as const) {
    if (activity[field] !== undefined && typeof activity[field] !== 'string')
      return `${field} must be a string`;
  }
  const lists: [string, (item: unknown) => boolean][] = [
    ['entities', isEntity],
    ['attachments', (item) => isRecord(item) && typeof item.contentType === 'string'],
    ['membersAdded', isAccount],
    ['membersRemoved', isAccount],
  ];
  for (const [field, valid] of lists) {
    const list = activity[field];
    if (list !== undefined && !(Array.isArray(list) && list.every(valid))) return `${field} is malformed`;
  }
  const mentions =
    Array.isArray(activity.entities) && activity.entities.some((entity) => entity.type === 'mention');
  // a mention marks a span of the text; the SDK strips it from `text` without checking there is one
  if (mentions && typeof activity.text !== 'string') return 'a mention needs the text it is part of';
  if (activity.channelData !== undefined && !isRecord(activity.channelData))
    return 'channelData must be an object';
  if (activity.type === 'invoke') {
    // ActivityHandler reads invoke values without checking (value.action.type, value.kind = …)
    const { value } = activity;
    if (value !== undefined && !isRecord(value)) return 'an invoke value must be an object';
    if (activity.name === 'adaptiveCard/action' && !(isRecord(value) && isRecord(value.action))) {
      return 'an adaptiveCard/action invoke needs value.action';
    }
  }
  return undefined;
}
