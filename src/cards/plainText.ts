/**
 * The plain text of a card, read off the expanded card itself in the card's order: channels without Adaptive
 * Cards (SMS, Slack, email…) get the same answer as the card, and the two cannot say different things.
 */

/** One item of a menu card: its title and the Action.Submit data of its button. */
export interface CardChoice {
  title: string;
  value: Record<string, unknown>;
}

export interface CardReading {
  /** The card's text, line by line; a blank line between parts. */
  lines: string[];
  /** The menu items, numbered in the text as they are here (a typed number picks one). */
  choices: CardChoice[];
}

/** An element, action or any other object of an expanded card. */
export type Node = { [key: string]: unknown };
export const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;
export const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Markdown the cards write (see notAList and linkView in render.ts), read as plain text. */
export const MARKDOWN_LINK = /\[([^\]]*)\]\(([^)\s]+)\)/g;
const NOT_A_LIST = /^(\s*(?:\d+[.)]|[-*+]))\u00a0/gm;

/** A button that picks something (a topic, an error, an answer), not a command with a typed equivalent. */
const choiceOf = (action: Node): CardChoice | undefined => {
  const data = action.data;
  if (action.type !== 'Action.Submit' || !isNode(data) || Object.keys(data).length < 2) return undefined;
  return { title: text(action.title), value: data };
};

/** A card shown on demand that sends something (change an answer): a form, which text replaces by a command. */
const isForm = (card: unknown): boolean =>
  isNode(card) && nodes(card.actions).some((action) => action.type === 'Action.Submit');

/** The elements and actions of one card, without those of the cards it shows on demand. */
function* ownNodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) for (const item of value) yield* ownNodes(item);
  else if (isNode(value)) {
    yield value;
    for (const [key, child] of Object.entries(value)) if (key !== 'card') yield* ownNodes(child);
  }
}

/** The submit of a card with inputs: its data goes with each value a choice input sends. */
function formSubmitOf(card: Node): Node | undefined {
  const own = [...ownNodes(card)];
  if (!own.some((node) => String(node.type).startsWith('Input.'))) return undefined;
  const submit = own.find((node) => node.type === 'Action.Submit');
  return isNode(submit?.data) ? submit.data : undefined;
}

class Reader {
  readonly lines: string[] = [];
  readonly choices: CardChoice[] = [];
  private readonly urls = new Set<string>();
  private numbered = 0;
  private lastNumbered = -1;
  /** The data the submit of the card being read sends, when that card is a form. */
  private form: Node | undefined;

  constructor(private readonly opened: boolean) {}

  card(card: Node): void {
    const outer = this.form;
    this.form = formSubmitOf(card);
    for (const element of nodes(card.body)) this.element(element);
    this.actions(nodes(card.actions));
    this.form = outer;
  }

  private paragraph(): void {
    if (this.lines.length > 0 && this.lines.at(-1) !== '') this.lines.push('');
  }

  /** Markdown as plain text: a link alone as "name: url", in a sentence as "name (url)". */
  private inline(markdown: string): string {
    const plain = markdown.replace(NOT_A_LIST, '$1 ');
    const alone = /^\[([^\]]*)\]\(([^)\s]+)\)$/.exec(plain);
    if (alone) {
      this.urls.add(alone[2]);
      return `${alone[1]}: ${alone[2]}`;
    }
    return plain.replace(MARKDOWN_LINK, (_, name: string, url: string) => {
      this.urls.add(url);
      return `${name} (${url})`;
    });
  }

  private numberedLine(title: string): void {
    this.numbered += 1;
    this.lines.push(`${this.numbered}. ${title}`);
    this.lastNumbered = this.lines.length - 1;
  }

  private element(element: Node): void {
    if (element.isVisible === false) return;
    // A heading or a line across the card starts a new paragraph.
    const heading = element.type === 'TextBlock' && element.weight === 'Bolder';
    if (element.separator === true || heading) this.paragraph();
    switch (element.type) {
      case 'TextBlock':
        this.lines.push(this.inline(text(element.text)));
        break;
      case 'FactSet':
        for (const fact of nodes(element.facts)) {
          const title = text(fact.title).replace(NOT_A_LIST, '$1');
          const value = this.inline(text(fact.value));
          // "1." and "•" mark a list; any other title names the value.
          if (/^\d+\.$/.test(title)) this.lines.push(`${title} ${value}`);
          else if (title === '•') this.lines.push(`- ${value}`);
          else this.lines.push(`${title}: ${value}`);
        }
        break;
      case 'Container': {
        const picks = isNode(element.selectAction) && !this.form ? choiceOf(element.selectAction) : undefined;
        if (picks) this.choice(picks);
        else for (const item of nodes(element.items)) this.element(item);
        break;
      }
      case 'ColumnSet':
        for (const column of nodes(element.columns))
          for (const item of nodes(column.items)) this.element(item);
        break;
      case 'ActionSet':
        this.actions(nodes(element.actions));
        break;
      case 'Input.Text':
        if (text(element.value)) this.lines.push(text(element.value));
        break;
      case 'Input.ChoiceSet':
        for (const choice of nodes(element.choices)) {
          const title = text(choice.title);
          if (this.form) this.choice({ title, value: { ...this.form, [text(element.id)]: choice.value } });
          else this.numberedLine(title);
        }
        break;
    }
  }

  private choice(choice: CardChoice): void {
    this.choices.push(choice);
    this.numberedLine(choice.title);
  }

  private actions(actions: Node[]): void {
    for (const action of actions) {
      // A form's submit sends the inputs' values: its choices are those of the inputs.
      const picks = this.form ? undefined : choiceOf(action);
      if (picks) this.choice(picks);
      else if (action.type === 'Action.OpenUrl' && !this.urls.has(text(action.url))) {
        this.urls.add(text(action.url));
        this.lines.push(`${text(action.title)}: ${text(action.url)}`);
      } else if (
        action.type === 'Action.ShowCard' &&
        this.opened &&
        isNode(action.card) &&
        !isForm(action.card)
      ) {
        this.paragraph();
        this.lines.push(text(action.title));
        this.card(action.card);
      }
    }
  }

  /** Where a numbered list ends, how to pick from it by typing. */
  hintAfterNumbers(hint: string): void {
    if (this.lastNumbered < 0) return;
    this.lines.splice(this.lastNumbered + 1, 0, hint);
  }
}

/**
 * Reads an expanded card as text. `opened`: with everything behind Action.ShowCard (the "steps" reply), or the
 * first screen only. Commands (start over, change an answer) are left to the text's own command line.
 */
export function readCard(card: unknown, options: { opened: boolean; menuHint: string }): CardReading {
  const reader = new Reader(options.opened);
  if (isNode(card)) reader.card(card);
  reader.hintAfterNumbers(options.menuHint);
  while (reader.lines.at(-1) === '') reader.lines.pop();
  return { lines: reader.lines, choices: reader.choices };
}
