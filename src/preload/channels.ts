import type { IpcChannel, IpcEvent } from '../shared/ipc/contract';

/*
 * The contract's channel and event names as plain strings. The preload must not import the
 * contract's zod schemas at runtime (they would put ~800 KB of schema code into every window); the
 * type checks below fail the build if a name is missing here or not in the contract, and
 * channels.test.ts compares the lists with the contract at runtime too.
 */

/** Every invoke channel of the contract. */
export const CHANNEL_NAMES = [
  'app:info',
  'agent:state',
  'health:check',
  'snapshot:prepare',
  'snapshot:preview',
  'screenshot:capture',
  'screenshot:discard',
  'ticket:submit',
  'tickets:list',
  'tickets:get',
  'tickets:reply',
  'tickets:solve',
  'tickets:reopen',
  'tickets:rate',
  'ticket:presence',
  'ticket:typing',
  'outbox:retry',
  'outbox:discard',
  'articles:list',
  'articles:search',
  'articles:get',
  'articles:helped',
  'announcements:list',
  'settings:get',
  'settings:set',
  'commands:pending',
  'commands:answer',
  'fixit:run',
  'remote:current',
  'remote:answer',
  'remote:stop',
  'share:current',
  'share:sources',
  'share:answer',
  'share:signal',
  'share:stop',
  'share:overlay',
  'external:open',
] as const satisfies readonly IpcChannel[];

/** Every event main pushes to the window. */
export const EVENT_NAMES = [
  'state',
  'tickets:changed',
  'ticket:presence',
  'content:changed',
  'navigate',
  'commands:pending',
  'fixit:output',
  'remote:session',
  'share:session',
  'share:signal',
  'share:overlay',
] as const satisfies readonly IpcEvent[];

type MissingChannel = Exclude<IpcChannel, (typeof CHANNEL_NAMES)[number]>;
type MissingEvent = Exclude<IpcEvent, (typeof EVENT_NAMES)[number]>;
const channelsComplete: [MissingChannel] extends [never] ? true : MissingChannel = true;
const eventsComplete: [MissingEvent] extends [never] ? true : MissingEvent = true;
void channelsComplete;
void eventsComplete;

const channels: ReadonlySet<string> = new Set(CHANNEL_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);

/** Whether the page asked for a channel of the contract. */
export function isKnownChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && channels.has(value);
}

/** Whether the page subscribed to an event of the contract. */
export function isKnownEvent(value: unknown): value is IpcEvent {
  return typeof value === 'string' && events.has(value);
}
