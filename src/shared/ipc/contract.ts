import { z } from 'zod';
import { text } from '../text/text-schema';
import { agentAnnouncementSchema, agentArticleSchema } from '../api/articles';
import { healthStatusSchema } from '../api/devices';
import { deviceTicketSchema, messageSchema, ticketCategorySchema } from '../api/tickets';
import { findingCodeSchema, findingSchema } from '../health/finding';
import { SELF_SERVICE_ACTION_NAMES } from '../actions/self-service';
import { impactSchema, urgencySchema } from '../priority';
import { SECTION_NAMES, snapshotSchema } from '../snapshot';
import { MESSAGE_BODY_MAX, RATING_COMMENT_MAX, TICKET_DESCRIPTION_MAX, TICKET_SUBJECT_MAX } from '../ticket-fields';
import { shareToConsoleSignalSchema, shareToDeviceSignalSchema } from '../remote/share-signals';
import { SHARE_OVERLAY_MESSAGE_MAX } from '../remote/share-limits';
import { privacySettingsSchema, userSettingsSchema } from './settings';
import { shareOverlayMessageSchema } from '../remote/share-overlay';

/*
 * The one contract between the employee window (renderer) and the main process. Every channel has
 * a zod schema for its argument (validated by the handler, never trusted) and a schema for its
 * result (the renderer's types come from it). Handlers answer with a Result value: errors cross the
 * boundary as { code, message }, never as thrown exceptions (Electron drops their details).
 *
 * Transports: in Electron the preload maps invoke → ipcRenderer.invoke(channel, arg) and on →
 * ipcRenderer.on; in browser tests a test transport maps them onto HTTP + server-sent events
 * against the same handlers.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const sectionNameSchema = z.enum(SECTION_NAMES);

/** Where the tray/menu/notification sends the window. */
export const routeSchema = z.union([
  z.object({ screen: z.enum(['home', 'check', 'help', 'tickets', 'articles', 'announcements', 'settings', 'about']) }),
  z.object({ screen: z.literal('ticket'), ticketId: id }),
  z.object({ screen: z.literal('article'), articleId: id }),
]);
export type Route = z.infer<typeof routeSchema>;

export const brandingSchema = z.object({
  /** Product name shown in the window title, tray tooltip and About. */
  name: text().min(1).max(80),
  supportEmail: text().max(254).nullable(),
  supportPhone: text().max(64).nullable(),
  supportUrl: text().max(2048).nullable(),
});
export type Branding = z.infer<typeof brandingSchema>;

export const menuLinkSchema = z.object({ label: text().min(1).max(80), url: text().max(2048) });

export const enrollmentStateSchema = z.object({
  state: z.enum(['not-configured', 'enrolling', 'enrolled', 'failed']),
  serverUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** Why enrollment failed, in words for the Settings screen. */
  error: z.string().nullable(),
});

/** Everything the tray icon and the window header show; pushed as `state` events when it changes. */
export const agentStateSchema = z.object({
  computerName: z.string(),
  enrollment: enrollmentStateSchema,
  /** The server answered recently. */
  online: z.boolean(),
  health: z.object({ status: healthStatusSchema, findings: z.array(findingSchema), checkedAt: z.string() }).nullable(),
  /** Staff replies the employee has not opened yet, over all tickets. */
  unread: z.number().int().nonnegative(),
  outbox: z.object({ pending: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }),
});
export type AgentState = z.infer<typeof agentStateSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  branding: brandingSchema,
  links: z.array(menuLinkSchema),
  dataDir: z.string(),
  logFile: z.string(),
  /** Where IT's system-wide configuration is read from on this OS. */
  managedConfigPath: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export { privacySettingsSchema, userSettingsSchema, type UserSettings } from './settings';

export const settingsViewSchema = z.object({
  effective: userSettingsSchema,
  /** Dotted keys IT has fixed (e.g. "serverUrl", "privacy.redact"); the screen shows them locked. */
  managed: z.array(z.string()),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** A finding from a fresh check, with the ids of the synced articles that fix it. */
export const checkResultSchema = z.object({
  checkedAt: z.string(),
  status: healthStatusSchema,
  findings: z.array(findingSchema.extend({ articleIds: z.array(id) })),
  /** Probes that failed or timed out, named honestly. */
  probeProblems: z.array(z.object({ section: sectionNameSchema, status: z.string(), message: z.string().nullable() })),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** The snapshot collected in the background while the Get help form is filled. */
export const snapshotPreviewSchema = z.object({
  state: z.enum(['collecting', 'ready', 'failed']),
  error: z.string().nullable(),
  /** Present when ready: exactly what would be sent with no section left out (after privacy settings). */
  snapshot: snapshotSchema.nullable(),
  /** Sections the privacy settings already remove; they cannot be put back from the form. */
  lockedOut: z.array(sectionNameSchema),
});
export type SnapshotPreview = z.infer<typeof snapshotPreviewSchema>;

export const screenshotSchema = z.object({
  /** Opaque handle kept by main; the form sends it back with the ticket. */
  screenshotId: text().max(64),
  /** PNG as a data: URL for the preview. */
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
});
export type Screenshot = z.infer<typeof screenshotSchema>;

export const submitTicketSchema = z.object({
  subject: text().trim().min(1, 'Tell us in a few words what is wrong').max(TICKET_SUBJECT_MAX),
  description: text().max(TICKET_DESCRIPTION_MAX).default(''),
  category: ticketCategorySchema,
  urgency: urgencySchema,
  impact: impactSchema.default('low'),
  /** Sections the employee unticked in the preview. */
  excludeSections: z.array(sectionNameSchema).max(SECTION_NAMES.length).default([]),
  /** Send no snapshot at all. */
  includeSnapshot: z.boolean().default(true),
  screenshotId: text().max(64).nullable().default(null),
});
export type SubmitTicket = z.input<typeof submitTicketSchema>;

/** A ticket written to the outbox; it exists before any send is tried. */
export const outboxItemSchema = z.object({
  outboxId: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'rejected']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** Why the server refused it (rejected) or the last transient failure (queued). */
  error: z.string().nullable(),
  ticketId: id.nullable(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

export const ticketListItemSchema = deviceTicketSchema.extend({ unread: z.number().int().nonnegative() });
export type TicketListItem = z.infer<typeof ticketListItemSchema>;

export const ticketThreadSchema = z.object({ ticket: deviceTicketSchema, messages: z.array(messageSchema) });
export type TicketThread = z.infer<typeof ticketThreadSchema>;

/** Who of the help desk has a ticket open right now (live channel), and whether they are typing. */
export const ticketPresenceSchema = z.object({
  ticketId: id,
  /** The technician with the ticket open, or null when nobody has it open (or the channel is down). */
  staff: z.object({ name: z.string() }).nullable(),
  typing: z.boolean(),
});
export type TicketPresence = z.infer<typeof ticketPresenceSchema>;

export const articleHitSchema = z.object({ id, title: z.string(), snippet: z.string(), score: z.number() });
export type ArticleHit = z.infer<typeof articleHitSchema>;

const empty = z.object({}).strict();

/**
 * What the consent prompt shows for a remote command (issue 12): who asks and why, the action's title
 * and description from the catalog, whether it reads or changes something, the exact parameters, and
 * until when the answer is awaited. All of it but `reason` is covered by the server's signature.
 */
export const commandPromptSchema = z.object({
  commandId: z.uuid(),
  action: z.string(),
  title: z.string(),
  description: z.string(),
  risk: z.enum(['reads', 'changes']),
  /** The catalog entry asks every time, whatever IT's policy says (ending a process, say). */
  alwaysAsks: z.boolean(),
  params: z.record(z.string(), z.unknown()),
  /**
   * An IT script: the interpreter and the body exactly as it will run (signed by the server); `params`
   * then holds the values, each passed to the script as one argument.
   */
  script: z.object({ shell: z.string(), body: z.string() }).optional(),
  requestedBy: z.string(),
  /** The technician's reason, as the server sent it next to the signed command; null when none came. */
  reason: z.string().nullable(),
  ticketId: id.nullable(),
  expiresAt: z.string(),
});
export type CommandPrompt = z.infer<typeof commandPromptSchema>;
/** The commands waiting for the employee's answer (at most one today: commands run one at a time). */
export const commandPromptsSchema = z.object({ prompts: z.array(commandPromptSchema) });

/** Where a Fix-it button was pressed (issue 12): a finding of the last check, or a synced article. */
export const fixItSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('finding'), code: findingCodeSchema }).strict(),
  z.object({ kind: z.literal('article'), articleId: id }).strict(),
]);

/**
 * A Fix-it run: the employee confirmed a self-service action bound to a finding or an article. Only the
 * action's name and where it was pressed cross over; its parameters are IT's (src/shared/actions/self-service.ts).
 */
export const fixItRunSchema = z
  .object({ action: z.enum(SELF_SERVICE_ACTION_NAMES as [string, ...string[]]), source: fixItSourceSchema })
  .strict();

/** What a Fix-it run did, and whether the help desk has it yet (`queued`: sent when it is reachable). */
export const fixItResultSchema = z.object({
  runId: z.uuid(),
  action: z.string(),
  title: z.string(),
  ok: z.boolean(),
  /** One line in words (bytes freed, jobs deleted…). */
  summary: z.string(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  fields: z.record(z.string(), z.unknown()),
  output: z.string(),
  outputTruncated: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  recorded: z.enum(['sent', 'queued']),
});
export type FixItResult = z.infer<typeof fixItResultSchema>;
/**
 * A remote session (issue 13) as the employee window shows it: while it waits for the employee's answer
 * (`asking`; with IT's policy "control needs a second consent", a control request asks twice: `stage`
 * `first`, then `confirm`), and while it runs (`active`: the banner with Stop). Who asks and the kind are
 * covered by the server's signature; `reason` travels next to it.
 */
export const remoteSessionPromptSchema = z.object({
  sessionId: z.uuid(),
  kind: z.enum(['view', 'control']),
  requestedBy: z.string(),
  /** The technician's reason, as the server sent it next to the signed request; null when none came. */
  reason: z.string().nullable(),
  ticketId: id.nullable(),
  /** Until when the answer is awaited (the request's expiry). */
  expiresAt: z.string(),
  state: z.enum(['asking', 'active']),
  /** Which question is on screen: `confirm` is the second consent IT's policy asks for control. */
  stage: z.enum(['first', 'confirm']),
  /** IT's policy asks a second, separate consent before control (remoteControl.controlNeedsSecondConsent). */
  secondConsent: z.boolean(),
  /** When the session began on this computer (active only). */
  startedAt: z.string().nullable(),
});
export type RemoteSessionPrompt = z.infer<typeof remoteSessionPromptSchema>;
/** The remote session on this computer now, if any (one at a time). */
export const remoteSessionStateSchema = z.object({ session: remoteSessionPromptSchema.nullable() });
/**
 * A screen-share request (issue 13) as the window shows it: who asks and why (`asking`: Allow / Deny and
 * the choice of screen or window), then while it is shared (`active`: the indicator with Stop and the chat).
 */
export const sharePromptSchema = z.object({
  sessionId: z.uuid(),
  requestedBy: z.string(),
  reason: z.string().nullable(),
  ticketId: id.nullable(),
  expiresAt: z.string(),
  state: z.enum(['asking', 'active']),
});
export type SharePrompt = z.infer<typeof sharePromptSchema>;
/** A screen or window the employee may share (Electron's desktopCapturer); none where the host cannot list them. */
export const shareSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['screen', 'window']),
  /** A small picture of it (data: URL), or null. */
  thumbnail: z.string().nullable(),
});
export type ShareSource = z.infer<typeof shareSourceSchema>;

/** Every invoke channel: argument schema and result schema. */
export const ipcChannels = {
  'app:info': { arg: empty, result: appInfoSchema },
  'agent:state': { arg: empty, result: agentStateSchema },
  'health:check': { arg: empty, result: checkResultSchema },
  /** Starts (or restarts with fresh:true) background collection; returns at once. */
  'snapshot:prepare': { arg: z.object({ fresh: z.boolean().default(false) }).strict(), result: snapshotPreviewSchema },
  /** Waits up to the collector's budget for the prepared snapshot. */
  'snapshot:preview': { arg: empty, result: snapshotPreviewSchema },
  'screenshot:capture': { arg: empty, result: screenshotSchema },
  'screenshot:discard': { arg: z.object({ screenshotId: text().max(64) }).strict(), result: z.object({}) },
  'ticket:submit': { arg: submitTicketSchema.strict(), result: outboxItemSchema },
  'tickets:list': {
    arg: empty,
    result: z.object({
      tickets: z.array(ticketListItemSchema),
      outbox: z.array(outboxItemSchema),
      fromCache: z.boolean(),
    }),
  },
  /** Opens a thread and marks its replies read. */
  'tickets:get': { arg: z.object({ ticketId: id }).strict(), result: ticketThreadSchema },
  'tickets:reply': {
    arg: z.object({ ticketId: id, body: text().trim().min(1, 'Write a reply first').max(MESSAGE_BODY_MAX) }).strict(),
    result: ticketThreadSchema,
  },
  'tickets:solve': { arg: z.object({ ticketId: id }).strict(), result: ticketThreadSchema },
  'tickets:reopen': {
    arg: z.object({ ticketId: id, body: text().trim().max(MESSAGE_BODY_MAX).default('') }).strict(),
    result: ticketThreadSchema,
  },
  'tickets:rate': {
    arg: z
      .object({
        ticketId: id,
        satisfaction: z.number().int().min(1).max(5),
        comment: text().trim().max(RATING_COMMENT_MAX).nullable().default(null),
      })
      .strict(),
    result: ticketThreadSchema,
  },
  /** Who has the ticket open at the help desk now; then follow `ticket:presence` events. */
  'ticket:presence': { arg: z.object({ ticketId: id }).strict(), result: ticketPresenceSchema },
  /** The employee is typing a reply (call as they type; main sends at most one frame per few seconds). */
  'ticket:typing': { arg: z.object({ ticketId: id }).strict(), result: z.object({}) },
  'outbox:retry': { arg: z.object({ outboxId: text().max(64) }).strict(), result: outboxItemSchema },
  /** Only on the employee's explicit request, and only for a rejected item. */
  'outbox:discard': { arg: z.object({ outboxId: text().max(64) }).strict(), result: z.object({}) },
  'articles:list': {
    arg: empty,
    result: z.object({ articles: z.array(agentArticleSchema), syncedAt: z.string().nullable() }),
  },
  /** Local, instant search over the synced articles (works offline). */
  'articles:search': {
    arg: z.object({ query: text().max(500), limit: z.number().int().min(1).max(50).default(5) }).strict(),
    result: z.object({ hits: z.array(articleHitSchema) }),
  },
  /** Reads one article and counts the view on the server (queued if offline). */
  'articles:get': { arg: z.object({ articleId: id }).strict(), result: agentArticleSchema },
  'articles:helped': { arg: z.object({ articleId: id }).strict(), result: z.object({}) },
  'announcements:list': { arg: empty, result: z.object({ announcements: z.array(agentAnnouncementSchema) }) },
  'settings:get': { arg: empty, result: settingsViewSchema },
  /** Changes user settings; managed keys are refused with code "managed". */
  'settings:set': {
    arg: userSettingsSchema.partial().extend({ privacy: privacySettingsSchema.partial().optional() }).strict(),
    result: settingsViewSchema,
  },
  /** The remote commands waiting for the employee's consent; then follow `commands:pending` events. */
  'commands:pending': { arg: empty, result: commandPromptsSchema },
  /** The employee's answer to a consent prompt; an unknown or already answered command is `not-found`. */
  'commands:answer': { arg: z.object({ commandId: z.uuid(), allow: z.boolean() }).strict(), result: z.object({}) },
  /**
   * Runs a Fix-it action the employee confirmed (issue 12); refused unless the finding or article it was
   * pressed on binds that action. Answers when it has finished; its output streams as `fixit:output` events.
   */
  'fixit:run': { arg: fixItRunSchema, result: fixItResultSchema },
  /** The remote session waiting for the employee or running (issue 13); then follow `remote:session` events. */
  'remote:current': { arg: empty, result: remoteSessionStateSchema },
  /**
   * The employee's answer to the question on screen (`stage` names it, so a double click cannot answer the
   * second consent too); a session not waiting for that answer is `not-found`.
   */
  'remote:answer': {
    arg: z.object({ sessionId: z.uuid(), allow: z.boolean(), stage: z.enum(['first', 'confirm']) }).strict(),
    result: z.object({}),
  },
  /** The employee ends the running session at once; no such running session is `not-found`. */
  'remote:stop': { arg: z.object({ sessionId: z.uuid() }).strict(), result: z.object({}) },
  /** The screen-share request waiting for the employee, or the share in progress; then follow `share:session`. */
  'share:current': { arg: empty, result: z.object({ session: sharePromptSchema.nullable() }) },
  /** The screens and windows the employee may choose from. */
  'share:sources': { arg: empty, result: z.object({ sources: z.array(shareSourceSchema) }) },
  /** The employee's answer; with Allow, the screen or window chosen (null: the host's default picker). */
  'share:answer': {
    arg: z
      .object({ sessionId: z.uuid(), allow: z.boolean(), sourceId: text().max(300).nullable().default(null) })
      .strict(),
    result: z.object({}),
  },
  /** The window's offer and ICE candidates, for the technician's console (over the live channel). */
  'share:signal': {
    arg: z.object({ sessionId: z.uuid(), signal: shareToConsoleSignalSchema }).strict(),
    result: z.object({}),
  },
  /** The employee (or the window, when the capture ends) stops the share. */
  'share:stop': {
    arg: z.object({ sessionId: z.uuid(), reason: text().max(300).optional() }).strict(),
    result: z.object({}),
  },
  /**
   * One message of the console's overlay data channel (the technician's pointer and annotations), as it came:
   * main validates it (share-overlay.ts), bounds the rate, and has the host's overlay draw it over the shared
   * screen, only while the share is in progress. `drawn: false`: dropped (invalid, too fast, no share).
   */
  'share:overlay': {
    arg: z.object({ sessionId: z.uuid(), data: z.string().max(SHARE_OVERLAY_MESSAGE_MAX) }).strict(),
    result: z.object({ drawn: z.boolean() }),
  },
  /** Opens an https: or mailto: URL in the default browser; anything else is refused. */
  'external:open': { arg: z.object({ url: text().max(4096) }).strict(), result: z.object({}) },
} as const;

export type IpcChannel = keyof typeof ipcChannels;
export type IpcArg<C extends IpcChannel> = z.input<(typeof ipcChannels)[C]['arg']>;
export type IpcParsedArg<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['arg']>;
export type IpcResult<C extends IpcChannel> = z.infer<(typeof ipcChannels)[C]['result']>;

/** What crosses the boundary for every invoke. */
export type IpcResponse<C extends IpcChannel> =
  { ok: true; value: IpcResult<C> } | { ok: false; error: { code: string; message: string } };

export const IPC_CHANNELS = Object.keys(ipcChannels) as IpcChannel[];

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ipcChannels, value);
}

/** Events main pushes to the window. */
export const ipcEvents = {
  state: agentStateSchema,
  /** A ticket changed (reply arrived, status changed, outbox progress); the list should refresh. */
  'tickets:changed': z.object({ ticketId: id.nullable() }),
  /** A technician opened or left the ticket, or started or stopped typing. */
  'ticket:presence': ticketPresenceSchema,
  /** Articles or announcements were synced. */
  'content:changed': z.object({ kind: z.enum(['articles', 'announcements']) }),
  /** Tray menu or a notification asks the window to show a screen. */
  navigate: routeSchema,
  /** The remote commands waiting for the employee's consent changed (a prompt to show, or one to close). */
  'commands:pending': commandPromptsSchema,
  /** Output of the running Fix-it action, as it comes. */
  'fixit:output': z.object({ action: z.string(), chunk: z.string() }),
  /** The remote session changed: a prompt to show, the banner to show, or nothing any more. */
  'remote:session': remoteSessionStateSchema,
  /** A screen-share request arrived, was answered, started or ended (null: none). */
  'share:session': z.object({ session: sharePromptSchema.nullable() }),
  /** The help desk's signaling for the share in progress: `start` (ICE servers), the answer, candidates. */
  'share:signal': z.object({ sessionId: z.uuid(), signal: shareToDeviceSignalSchema }),
  /** For the screen-share overlay window only (never the agent window): one validated message to draw. */
  'share:overlay': shareOverlayMessageSchema,
} as const;

export type IpcEvent = keyof typeof ipcEvents;
export type IpcEventPayload<E extends IpcEvent> = z.infer<(typeof ipcEvents)[E]>;

/** The API the preload (or the test transport) puts on window.deskside. */
export interface DesksideBridge {
  invoke<C extends IpcChannel>(channel: C, arg: IpcArg<C>): Promise<IpcResponse<C>>;
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}

/** Handlers the main process registers: already-validated argument in, Result out. */
export type IpcHandlers = { [C in IpcChannel]: (arg: IpcParsedArg<C>) => Promise<IpcResult<C>> };
