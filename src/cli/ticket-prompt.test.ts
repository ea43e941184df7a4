import { describe, expect, it } from 'vitest';
import type { Prompter } from './io';
import { askMissingTicketFields } from './ticket-prompt';

/** A prompter that answers from a script and records the questions; null ends input. */
function scripted(answers: Array<string | null>) {
  const questions: string[] = [];
  const prompter: Prompter = {
    ask: async (question) => {
      questions.push(question);
      return answers.length > 0 ? answers.shift()! : null;
    },
    close: () => undefined,
  };
  return { prompter, questions };
}

describe('askMissingTicketFields', () => {
  it('asks for everything missing; Enter takes the defaults (category left to the help desk, medium urgency)', async () => {
    const { prompter, questions } = scripted(['Wi-Fi drops', '', '']);
    const out: string[] = [];
    const fields = await askMissingTicketFields(prompter, {}, { out: (t) => out.push(t) });
    expect(fields).toEqual({ subject: 'Wi-Fi drops', category: undefined, urgency: 'medium' });
    expect(questions).toEqual([
      'Subject (what is wrong, in a few words): ',
      "Category (hardware, software, network, account, printing, email, security, other) [the help desk's default]: ",
      'Urgency (low, medium, high) [medium]: ',
    ]);
    expect(out).toEqual([]);
  });

  it('asks again after a blank subject or an unknown choice; a unique prefix is enough', async () => {
    const { prompter, questions } = scripted(['  ', 'Printer offline', 'coffee', 'Print', 'h']);
    const out: string[] = [];
    const fields = await askMissingTicketFields(prompter, {}, { out: (t) => out.push(t) });
    expect(fields).toEqual({ subject: 'Printer offline', category: 'printing', urgency: 'high' });
    expect(questions).toHaveLength(5);
    expect(out).toEqual([
      "  choose one of hardware, software, network, account, printing, email, security, other, or press Enter for the help desk's default\n",
    ]);
  });

  it('asks nothing about what was given', async () => {
    const { prompter, questions } = scripted(['low']);
    const fields = await askMissingTicketFields(prompter, { subject: 'Slow', category: 'software' }, { out: () => {} });
    expect(fields).toEqual({ subject: 'Slow', category: 'software', urgency: 'low' });
    expect(questions).toEqual(['Urgency (low, medium, high) [medium]: ']);
  });

  it('answers null when input ends', async () => {
    expect(await askMissingTicketFields(scripted(['Slow']).prompter, {}, { out: () => {} })).toBeNull();
  });
});
