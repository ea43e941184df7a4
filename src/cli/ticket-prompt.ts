import {
  DEFAULT_URGENCY,
  TICKET_CATEGORIES,
  URGENCIES,
  type TicketCategory,
  type Urgency,
} from '../shared/ticket-fields';
import type { Prompter } from './io';

/** What `ticket new` was given on its command line. */
export interface TicketFields {
  subject?: string;
  category?: TicketCategory;
  urgency?: Urgency;
}

async function askChoice<T extends string>(
  prompter: Prompter,
  out: (text: string) => void,
  label: string,
  choices: readonly T[],
  defaultText: string,
): Promise<T | undefined | null> {
  for (;;) {
    const answer = await prompter.ask(`${label} (${choices.join(', ')}) [${defaultText}]: `);
    if (answer === null) return null;
    const word = answer.trim().toLowerCase();
    if (word === '') return undefined;
    const found = choices.find((c) => c === word) ?? onlyMatch(choices, word);
    if (found) return found;
    out(`  choose one of ${choices.join(', ')}, or press Enter for ${defaultText}\n`);
  }
}

/** A unique prefix is enough: "net" for network, "h" for high. */
function onlyMatch<T extends string>(choices: readonly T[], prefix: string): T | undefined {
  const matches = choices.filter((c) => c.startsWith(prefix));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Asks on the terminal for the fields the command line left out: the subject until it is not
 * blank, then the category and urgency with their choices, Enter taking the default (the help
 * desk's default category, medium urgency). Null when the user ends input.
 */
export async function askMissingTicketFields(
  prompter: Prompter,
  given: TicketFields,
  io: { out(text: string): void },
): Promise<TicketFields | null> {
  const fields = { ...given };
  while (fields.subject === undefined || fields.subject.trim() === '') {
    const answer = await prompter.ask('Subject (what is wrong, in a few words): ');
    if (answer === null) return null;
    fields.subject = answer.trim() === '' ? undefined : answer;
  }
  if (fields.category === undefined) {
    const category = await askChoice(prompter, io.out, 'Category', TICKET_CATEGORIES, "the help desk's default");
    if (category === null) return null;
    fields.category = category;
  }
  if (fields.urgency === undefined) {
    const urgency = await askChoice(prompter, io.out, 'Urgency', URGENCIES, DEFAULT_URGENCY);
    if (urgency === null) return null;
    fields.urgency = urgency ?? DEFAULT_URGENCY;
  }
  return fields;
}
