import { describe, expect, it } from 'vitest';
import {
  taggedSubject,
  ticketIdFromMessageIds,
  ticketIdFromSubject,
  ticketMailMessageId,
  ticketRootMessageId,
} from './mail-reference';

describe('mail references', () => {
  it('tags a subject once and reads the tag back, whatever the reply prefixes', () => {
    expect(taggedSubject('VPN down', 42)).toBe('VPN down [Ticket #42]');
    expect(taggedSubject('Re: VPN down [Ticket #42]', 42)).toBe('Re: VPN down [Ticket #42]');
    expect(ticketIdFromSubject('AW: Re: VPN down [ticket #42]')).toBe(42);
    expect(ticketIdFromSubject('VPN down #42')).toBeNull();
    expect(ticketIdFromSubject('[Ticket #0]')).toBeNull();
    expect(ticketIdFromSubject('[Ticket #99999999999999999]')).toBeNull();
  });

  it('finds the ticket from our own message ids only, the last one winning', () => {
    const root = ticketRootMessageId(7, 'help.example.com');
    const reply = ticketMailMessageId(9, '15.a1b2', 'help.example.com');
    expect(reply).toBe('<ticket-9.15.a1b2@help.example.com>');
    expect(ticketIdFromMessageIds(`${root} ${reply}`, 'help.example.com')).toBe(9);
    expect(ticketIdFromMessageIds(`${root}\r\n <ticket-9@elsewhere.example>`, 'HELP.example.com')).toBe(7);
    expect(ticketIdFromMessageIds('<CAF=abc@mail.gmail.com>', 'help.example.com')).toBeNull();
    expect(ticketMailMessageId(3, 'x<y>@z', 'd.example')).toBe('<ticket-3.xyz@d.example>');
  });
});
