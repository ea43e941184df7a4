import type { Generated } from 'kysely';
import type { CommandStatus } from '../../shared/actions/command-status';
import type { RemoteKind, RemoteStatus } from '../../shared/remote/remote-limits';

/*
 * The tables as Kysely sees them. Times are epoch milliseconds (INTEGER / BIGINT) so that sorting and
 * arithmetic are the same on SQLite and PostgreSQL; JSON is stored as TEXT; booleans as 0/1.
 */

export interface StaffUsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: 'admin' | 'technician';
  password_hash: string;
  group_name: string | null;
  active: number;
  created_at: number;
  last_login_at: number | null;
  /** 1 for a service token's account (migration 023): never signs in, left out of staff lists. */
  service: Generated<number>;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  at: number;
}

export interface EnrollSecretsTable {
  id: Generated<number>;
  name: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
  uses: number;
}

export interface DevicesTable {
  id: string;
  machine_id: string;
  hostname: string;
  os_platform: string;
  os_name: string | null;
  os_version: string | null;
  agent_version: string;
  /** JSON array of group names used for article and announcement targeting. */
  groups: string;
  token_hash: string;
  token_revoked_at: number | null;
  enroll_secret_id: number | null;
  enrolled_at: number;
  last_seen_at: number;
  /** When its live channel last closed (agent gone); online needs a sighting after it. */
  left_at: number | null;
  health_status: 'healthy' | 'warning' | 'critical' | 'unknown';
  /** JSON: the latest findings summary from a heartbeat or snapshot. */
  health_summary: string;
  last_snapshot_id: number | null;
}

export interface SnapshotsTable {
  id: Generated<number>;
  device_id: string;
  /** sha256 of the canonical JSON. */
  hash: string;
  /** The canonical JSON compressed: Brotli, or gzip in rows stored before it (devices/snapshot-codec.ts). */
  data: Buffer;
  raw_size: number;
  collected_at: number;
  received_at: number;
  /** JSON array of findings evaluated when stored. */
  findings: string;
}

export interface TicketsTable {
  id: Generated<number>;
  device_id: string | null;
  requester_name: string | null;
  requester_email: string | null;
  subject: string;
  description: string;
  category: string;
  urgency: 'low' | 'medium' | 'high';
  impact: 'low' | 'medium' | 'high';
  priority: 'p1' | 'p2' | 'p3' | 'p4';
  status: 'new' | 'open' | 'pending' | 'resolved' | 'closed';
  assignee_id: number | null;
  group_name: string | null;
  snapshot_id: number | null;
  /** JSON array of finding codes on the attached snapshot, for reports and the queue. */
  finding_codes: string;
  created_at: number;
  updated_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  sla_policy_id: number | null;
  first_response_due_at: number | null;
  resolution_due_at: number | null;
  sla_state: 'none' | 'ok' | 'warning' | 'breached' | 'met';
  escalation_level: number;
  satisfaction: number | null;
  satisfaction_comment: string | null;
  last_message_at: number;
  /** Last message id a device has been told about, for unread marks. */
  last_staff_message_id: number | null;
}

export interface IdempotencyKeysTable {
  device_id: string;
  key: string;
  /** sha256 of the request body: the same key with another body is a client bug (422). */
  request_hash: string;
  ticket_id: number;
  created_at: number;
}

export interface MessagesTable {
  id: Generated<number>;
  ticket_id: number;
  author_type: 'device' | 'staff' | 'system';
  author_id: string | null;
  author_name: string | null;
  body: string;
  internal: number;
  created_at: number;
  /** When the device's agent acknowledged it on the live channel (staff messages). */
  delivered_at: number | null;
  /** When the employee opened the ticket and saw it (staff messages). */
  read_at: number | null;
}

export interface AttachmentsTable {
  id: Generated<number>;
  ticket_id: number;
  message_id: number | null;
  kind: 'screenshot' | 'file';
  filename: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: number;
}

export interface SlaPoliciesTable {
  id: Generated<number>;
  priority: 'p1' | 'p2' | 'p3' | 'p4';
  first_response_minutes: number;
  resolution_minutes: number;
  /** JSON business-hours calendar, or null for around the clock. */
  business_hours: string | null;
  warning_percent: number;
  updated_at: number;
}

export interface EscalationRulesTable {
  id: Generated<number>;
  name: string;
  trigger: 'first_response_warning' | 'first_response_breach' | 'resolution_warning' | 'resolution_breach';
  /** JSON: which priorities it applies to (empty = all). */
  priorities: string;
  /** JSON action: { assignGroup?, raisePriority?, notify? }. */
  action: string;
  enabled: number;
  created_at: number;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  type: string;
  actor_type: 'staff' | 'device' | 'system';
  actor_id: string | null;
  /** JSON details. */
  data: string;
  created_at: number;
}

export interface ArticlesTable {
  id: Generated<number>;
  title: string;
  body: string;
  /** JSON arrays. */
  tags: string;
  finding_codes: string;
  target_os: string;
  target_groups: string;
  status: 'draft' | 'published';
  created_at: number;
  updated_at: number;
  published_at: number | null;
  deleted_at: number | null;
  views: number;
  helped: number;
  /** Plain text of title, tags and body for full-text search. */
  search_text: string;
}

export interface AnnouncementsTable {
  id: Generated<number>;
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'critical';
  target_os: string;
  target_groups: string;
  status: 'draft' | 'published';
  starts_at: number;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  /** JSON array of device ids it is limited to (an incident's affected agents); null: no such limit (migration 017). */
  target_devices?: string | null;
}

export interface ContentChangesTable {
  /** The sync cursor: agents ask for changes after the last id they saw. */
  id: Generated<number>;
  entity: 'article' | 'announcement';
  entity_id: number;
  op: 'upsert' | 'delete';
  at: number;
}

export interface ArticleEventsTable {
  id: Generated<number>;
  article_id: number;
  device_id: string | null;
  kind: 'view' | 'helped';
  at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_type: 'staff' | 'system' | 'cli';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** JSON details. */
  details: string;
  ip: string | null;
}

/** Which snapshot a device's fleet rows (device_software, device_findings) come from, with their fingerprints. */
export interface DeviceInventoryTable {
  device_id: string;
  snapshot_id: number;
  /** sha256 of the package list as indexed: an unchanged list is not rewritten. */
  software_hash: string;
  /** sha256 of the findings (code and severity) as indexed. */
  findings_hash: string;
}

/** An installed package of a device's latest snapshot. */
export interface DeviceSoftwareTable {
  device_id: string;
  name: string;
  /** lower(name), indexed: fleet searches ignore case. */
  name_lower: string;
  version: string | null;
  source: string;
}

/** A health finding of a device's latest snapshot. */
export interface DeviceFindingsTable {
  device_id: string;
  code: string;
  severity: 'info' | 'warning' | 'critical';
}

/** The key pair the server signs device commands with (one row per purpose; 'commands' today). */
export interface CommandKeysTable {
  purpose: string;
  algorithm: 'ed25519';
  /** PEM, SPKI: what agents pin at enrollment. */
  public_key: string;
  /** PEM, PKCS#8. */
  private_key: string;
  created_at: number;
}

/** A remote action a technician asked a device to run (src/shared/actions), from request to result. */
export interface DeviceCommandsTable {
  /** uuid: the envelope's id. */
  id: string;
  device_id: string;
  ticket_id: number | null;
  action: string;
  /** JSON: the validated parameters, defaults applied (as signed). */
  params: string;
  /** The technician's why, shown in the consent prompt. */
  reason: string;
  /** Where the result goes on the ticket: an internal note or a message the employee sees. */
  visibility: 'internal' | 'public';
  requested_by: number;
  /** JSON: the signed envelope exactly as sent. */
  envelope: string;
  /** base64 Ed25519 signature over the envelope. */
  signature: string;
  issued_at: number;
  expires_at: number;
  status: CommandStatus;
  /** JSON: who allowed or denied it, or that policy ran it unattended. */
  consent: string | null;
  exit_code: number | null;
  duration_ms: number | null;
  /** Raw output, capped by the action's outputCapBytes. */
  output: string | null;
  /** JSON: the action's structured result fields. */
  result: string | null;
  error: string | null;
  updated_at: number;
}

/** A remote-control session (migration 013). */
export interface RemoteSessionsTable {
  /** uuid: the signed request's id. */
  id: string;
  device_id: string;
  ticket_id: number | null;
  kind: RemoteKind;
  reason: string;
  requested_by: number;
  /** JSON: the signed request exactly as sent. */
  envelope: string;
  signature: string;
  /** sha256 (hex) of the agent tunnel's one-time token. */
  device_token_hash: string;
  /** sha256 (hex) of the console tunnel's token. */
  console_token_hash: string;
  /** The device's one-time VNC password, for the requester's console; cleared when the session ends. */
  vnc_password: string | null;
  status: RemoteStatus;
  /** JSON: who allowed or denied it, or that policy allowed it unattended. */
  consent: string | null;
  requested_at: number;
  /** Until when the request may be answered, and (once accepted) the tunnels opened. */
  expires_at: number;
  /** When each tunnel attached (each only once: the tokens are one-time). */
  device_joined_at: number | null;
  console_joined_at: number | null;
  /** When the relay joined the two tunnels. */
  started_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  bytes_to_console: Generated<number>;
  bytes_to_device: Generated<number>;
  updated_at: number;
}

/** A Fix-it run an employee started on their device (migration 011). */
export interface DeviceLocalActionsTable {
  /** uuid: the agent's id of the run. */
  id: string;
  device_id: string;
  action: string;
  /** JSON: the parameters it ran with (the self-service table's). */
  params: string;
  /** JSON: where the button was, `{ kind: 'finding', code }` or `{ kind: 'article', articleId }`. */
  source: string;
  /** 1 when it worked. */
  ok: number;
  exit_code: number | null;
  duration_ms: number;
  /** JSON: the action's structured result fields. */
  fields: string;
  /** Raw output, capped by the action's outputCapBytes. */
  output: string;
  output_truncated: number;
  /** `code: message` when it failed. */
  error: string | null;
  /** When the employee confirmed it (the device's clock). */
  started_at: number;
  received_at: number;
}

/** A screen-share session's signaling message, until its recipient's holder takes it (migration 014). */
export interface ShareSignalsTable {
  id: Generated<number>;
  session_id: string;
  to_side: 'device' | 'console';
  /** JSON: the signal (src/shared/remote/share-signals.ts). */
  payload: string;
  created_at: number;
  taken_at: number | null;
}

/** An entry of one of IT's allow-lists (migration 015): services or packages, by id. */
export interface ItAllowListTable {
  kind: 'service' | 'package';
  /** The id technicians name (allowListRefParam). */
  id: string;
  title: string;
  /** JSON: the per-OS names (services: linux/win32/darwin; packages: apt/dnf/winget/brew/brewCask). */
  targets: string;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

/** An IT script technicians may run as `script.<slug>` (migration 015). */
export interface ItScriptsTable {
  slug: string;
  title: string;
  description: string;
  risk: 'reads' | 'changes';
  timeout_seconds: number;
  /** JSON: the declared parameters. */
  parameters: string;
  /** JSON: per-OS `{ shell, body }`. */
  bodies: string;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

/** A series' source (migration 016): a device (`key` its id) or the server's own checks (`server`). */
export interface NetmonSourcesTable {
  id: Generated<number>;
  kind: 'device' | 'server';
  key: string;
}

/** A probe target's id (`gateway`, `it:<slug>`, `check:<slug>`) as a small integer. */
export interface NetmonTargetsTable {
  id: Generated<number>;
  key: string;
}

/** One target probed in one cycle (raw, kept NETMON_RETENTION_DEFAULT.rawDays). Round trips in µs. */
export interface NetmonSamplesTable {
  source_id: number;
  target_id: number;
  at: number;
  sent: number;
  received: number;
  rtt_us: number | null;
  min_us: number | null;
  max_us: number | null;
  jitter_us: number | null;
  error: string | null;
  /** JSON: HTTP timings (HTTP probes only). */
  http: string | null;
}

/** 5-minute or hourly aggregates of samples per (source, target, bucket start). */
export interface NetmonRollupTable {
  source_id: number;
  target_id: number;
  bucket: number;
  samples: number;
  sent: number;
  received: number;
  errors: number;
  rtt_n: number;
  rtt_sum_us: number;
  rtt_sq_ms: number;
  rtt_min_us: number | null;
  rtt_max_us: number | null;
  jitter_n: number;
  jitter_sum_us: number;
}

/** A device's link at one moment, narrow (the full latest report is in netmon_device_links). */
export interface NetmonLinksTable {
  source_id: number;
  at: number;
  signal_dbm: number | null;
  rate_mbps: number | null;
  rx_errors: number | null;
  tx_errors: number | null;
  vpn_up: number | null;
}

/** 5-minute or hourly aggregates of link reports. */
export interface NetmonLinkRollupTable {
  source_id: number;
  bucket: number;
  reports: number;
  signal_n: number;
  signal_sum: number;
  signal_min: number | null;
  signal_max: number | null;
  rate_n: number;
  rate_sum: number;
  errors: number;
}

export interface NetmonBandwidthTable {
  source_id: number;
  at: number;
  down_kbps: number | null;
  up_kbps: number | null;
  bytes: number;
  trigger: 'schedule' | 'request';
}

/** A device's latest link report and the site derived from it. */
export interface NetmonDeviceLinksTable {
  device_id: string;
  source_id: number;
  at: number;
  link: string;
  subnet: string | null;
  ssid: string | null;
  site: string | null;
}

/** A bucket that got samples after it was rolled up (res: 5 or 60 minutes). */
export interface NetmonDirtyTable {
  res: number;
  source_id: number;
  bucket: number;
}

export interface NetmonKeyValueTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface NetmonSettingsTable extends NetmonKeyValueTable {
  updated_by: number | null;
}

/** A service the server checks itself (Uptime Kuma style) and its last result. */
export interface NetmonChecksTable {
  slug: string;
  definition: string;
  interval_s: number;
  enabled: number;
  next_at: number;
  last_at: number | null;
  last_status: string | null;
  last_rtt_us: number | null;
  last_error: string | null;
  cert_expires_at: number | null;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

/** An IT alert rule on network monitoring (migration 017). */
export interface NetmonAlertRulesTable {
  id: Generated<number>;
  name: string;
  /** JSON: src/shared/api/netmon-alerts.ts alertRuleSchema, without the webhook secret. */
  definition: string;
  enabled: number;
  webhook_secret: string | null;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
}

/** A rule's scope that is not ok: pending or firing. */
export interface NetmonAlertStatesTable {
  rule_id: number;
  scope_key: string;
  state: 'pending' | 'firing';
  bad_since: number;
  good_since: number | null;
  incident_id: number | null;
  value: number | null;
  updated_at: number;
}

export interface NetmonIncidentsTable {
  id: Generated<number>;
  rule_id: number;
  rule_name: string;
  scope_key: string;
  scope_name: string;
  state: 'firing' | 'resolved';
  metric: string;
  threshold: number;
  value: number | null;
  peak: number | null;
  /** JSON array of device ids. */
  affected: string;
  ticket_id: number | null;
  announcement_id: number | null;
  started_at: number;
  resolved_at: number | null;
  resolution: string | null;
  updated_at: number;
}

export interface NetmonIncidentTicketsTable {
  incident_id: number;
  ticket_id: number;
  device_id: string | null;
  how: 'affected' | 'filed';
  linked_at: number;
}

/** Where a consumer of ticket history (notifications, webhooks) has read up to. */
export interface EventFeedCursorsTable {
  consumer: string;
  last_id: number;
  updated_at: number;
}

/** An outgoing webhook (migration 023). */
export interface WebhooksTable {
  id: Generated<number>;
  name: string;
  url: string;
  format: 'generic' | 'slack' | 'teams';
  /** JSON array of event names. */
  events: string;
  secret: string;
  active: number;
  created_at: number;
  updated_at: number;
  created_by: number | null;
}

/** One event to one webhook, with its latest attempt (migration 023). */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event: string;
  source_id: string;
  payload: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  response_status: number | null;
  response_excerpt: string | null;
  duration_ms: number | null;
  error: string | null;
  created_at: number;
}

/** A personal or service API token, hashed (migration 023). */
export interface ApiTokensTable {
  id: Generated<number>;
  kind: 'personal' | 'service';
  name: string;
  staff_id: number;
  token_hash: string;
  prefix: string;
  /** JSON array of scopes. */
  scopes: string;
  created_by: number | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** Every table of the Deskside database. */
export interface Database {
  staff_users: StaffUsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  enroll_secrets: EnrollSecretsTable;
  devices: DevicesTable;
  snapshots: SnapshotsTable;
  tickets: TicketsTable;
  idempotency_keys: IdempotencyKeysTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  sla_policies: SlaPoliciesTable;
  escalation_rules: EscalationRulesTable;
  ticket_events: TicketEventsTable;
  articles: ArticlesTable;
  announcements: AnnouncementsTable;
  content_changes: ContentChangesTable;
  article_events: ArticleEventsTable;
  audit_log: AuditLogTable;
  device_inventory: DeviceInventoryTable;
  device_software: DeviceSoftwareTable;
  device_findings: DeviceFindingsTable;
  command_keys: CommandKeysTable;
  device_commands: DeviceCommandsTable;
  remote_sessions: RemoteSessionsTable;
  device_local_actions: DeviceLocalActionsTable;
  share_signals: ShareSignalsTable;
  it_allow_list: ItAllowListTable;
  it_scripts: ItScriptsTable;
  netmon_sources: NetmonSourcesTable;
  netmon_targets: NetmonTargetsTable;
  netmon_samples: NetmonSamplesTable;
  netmon_samples_5m: NetmonRollupTable;
  netmon_samples_1h: NetmonRollupTable;
  netmon_links: NetmonLinksTable;
  netmon_links_5m: NetmonLinkRollupTable;
  netmon_links_1h: NetmonLinkRollupTable;
  netmon_bandwidth: NetmonBandwidthTable;
  netmon_device_links: NetmonDeviceLinksTable;
  netmon_dirty: NetmonDirtyTable;
  netmon_state: NetmonKeyValueTable;
  netmon_settings: NetmonSettingsTable;
  netmon_checks: NetmonChecksTable;
  netmon_alert_rules: NetmonAlertRulesTable;
  netmon_alert_states: NetmonAlertStatesTable;
  netmon_incidents: NetmonIncidentsTable;
  netmon_incident_tickets: NetmonIncidentTicketsTable;
  event_feed_cursors: EventFeedCursorsTable;
  netmon_ticket_summaries: NetmonTicketSummariesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_tokens: ApiTokensTable;
}

/** The network of a ticket's device in the 24 hours before it, stored when it was filed (migration 022). */
export interface NetmonTicketSummariesTable {
  ticket_id: number;
  device_id: string;
  captured_at: number;
  summary: string;
}
