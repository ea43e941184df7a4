import { createAnnouncementRequestSchema, createArticleRequestSchema } from '../../shared/api/content-admin';
import { createGroupRequestSchema } from '../../shared/api/settings';
import { createAnnouncement } from '../articles/announcements.service';
import { createArticle } from '../articles/articles.service';
import type { DeviceIdentity, StaffUser } from '../auth/guards';
import { createStaff } from '../auth/staff.service';
import type { ServerContext } from '../context';
import { registerDevice } from '../devices/enroll.service';
import { storeSnapshot } from '../devices/snapshots.service';
import { createGroup, listGroups } from '../settings/groups.service';
import { evaluateSla } from '../sla/sla-evaluate.service';
import { ensureDefaultSlaPolicies, loadSlaPolicies } from '../sla/sla.service';
import { DEMO_ANNOUNCEMENT, DEMO_ARTICLES } from './demo-content';
import { DEMO_DEVICES, demoMachineId, demoSnapshot, type DemoDevice } from './demo-fleet';
import { playDemoTicket, type DemoStage } from './demo-play';
import { DEMO_GROUPS, DEMO_STAFF, DEMO_TICKETS, type DemoStaffKey } from './demo-tickets';

/*
 * `deskside server --demo` (what `npm start` runs; never in production): a believable help desk on
 * an empty server. Everything goes through the server's own services on a scripted clock, so the
 * tickets, snapshots, SLA states, events and audit entries are what real use would have left.
 * Idempotent: each item is recognised (demo machine ids, staff emails, ticket subjects per device,
 * article and announcement titles) and made only when missing, so a second start adds nothing.
 * It only adds; it never changes or deletes anything that was there.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** What a seed run made (zero everywhere when the demo data was already there). */
export interface DemoSeedResult {
  devices: number;
  tickets: number;
  staff: number;
  articles: number;
  announcements: number;
}

/** Seeds the demo help desk; safe to call on every start. */
export async function seedDemo(ctx: ServerContext): Promise<DemoSeedResult> {
  const now = ctx.now();
  let clock = now;
  const demoCtx: ServerContext = { ...ctx, now: () => clock };
  const result: DemoSeedResult = { devices: 0, tickets: 0, staff: 0, articles: 0, announcements: 0 };

  await ensureDefaultSlaPolicies(ctx.db, now);
  await ensureGroups(ctx, now);
  const staff = await ensureStaff(ctx, now, result);
  const { identities, fresh } = await ensureDevices(demoCtx, (t) => (clock = t), now, result);

  const stage: DemoStage = {
    ctx: demoCtx,
    setClock: (t) => (clock = t),
    now,
    policies: await loadSlaPolicies(ctx.db),
    staff,
  };
  for (const [index, ticket] of DEMO_TICKETS.entries()) {
    const device = DEMO_DEVICES.find((d) => d.key === ticket.device);
    const identity = identities.get(ticket.device);
    if (!device || !identity) throw new Error(`demo ticket for an unknown device: ${ticket.device}`);
    const exists = await ctx.db.kysely
      .selectFrom('tickets')
      .select('id')
      .where('device_id', '=', identity.id)
      .where('subject', '=', ticket.subject)
      .executeTakeFirst();
    if (exists) continue;
    await playDemoTicket(stage, ticket, index, device, identity);
    result.tickets++;
  }

  // The latest inventory snapshot of each new computer: its health on the devices page.
  for (const device of fresh) {
    clock = now - device.lastSeenMinutesAgo * MINUTE_MS;
    const identity = identities.get(device.key);
    if (!identity) continue;
    await storeSnapshot(demoCtx, identity.id, demoSnapshot(device, clock));
    await ctx.db.kysely.updateTable('devices').set({ last_seen_at: clock }).where('id', '=', identity.id).execute();
  }

  clock = now;
  await ensureContent(demoCtx, staff.sam, result);
  // Where the SLA clocks stand now: what the SLA job would find on its first pass.
  await evaluateSla(ctx);
  return result;
}

async function ensureGroups(ctx: ServerContext, now: number): Promise<void> {
  const existing = new Set((await listGroups(ctx.db)).map((g) => g.name.toLowerCase()));
  for (const group of DEMO_GROUPS)
    if (!existing.has(group.name.toLowerCase())) await createGroup(ctx.db, createGroupRequestSchema.parse(group), now);
}

async function ensureStaff(
  ctx: ServerContext,
  now: number,
  result: DemoSeedResult,
): Promise<Record<DemoStaffKey, StaffUser>> {
  const staff = {} as Record<DemoStaffKey, StaffUser>;
  for (const [key, person] of Object.entries(DEMO_STAFF) as Array<[DemoStaffKey, (typeof DEMO_STAFF)[DemoStaffKey]]>) {
    const find = () =>
      ctx.db.kysely
        .selectFrom('staff_users')
        .select(['id', 'email', 'name', 'role', 'group_name'])
        .where('email', '=', person.email)
        .executeTakeFirst();
    let row = await find();
    if (!row) {
      // Nobody signs in as them (no password, which also spares three slow hashes at start):
      // the demo administrator sees their work.
      await createStaff(ctx.db, { ...person, password: null }, now - 60 * DAY_MS);
      result.staff++;
      row = await find();
    }
    if (!row) throw new Error(`demo staff member ${person.email} was not created`);
    staff[key] = row;
  }
  return staff;
}

async function ensureDevices(
  demoCtx: ServerContext,
  setClock: (t: number) => void,
  now: number,
  result: DemoSeedResult,
): Promise<{ identities: Map<string, DeviceIdentity>; fresh: DemoDevice[] }> {
  const identities = new Map<string, DeviceIdentity>();
  const fresh: DemoDevice[] = [];
  for (const [index, device] of DEMO_DEVICES.entries()) {
    const find = () =>
      demoCtx.db.kysely
        .selectFrom('devices')
        .select(['id', 'hostname', 'os_platform', 'groups', 'machine_id'])
        .where('machine_id', '=', demoMachineId(device))
        .executeTakeFirst();
    let row = await find();
    if (!row) {
      const baseline = demoSnapshot(device, now - 7 * DAY_MS, true);
      const os = baseline.sections.os;
      setClock(now - (40 - index) * DAY_MS);
      await registerDevice(demoCtx, null, {
        machineId: demoMachineId(device),
        hostname: device.hostname,
        os: { platform: os?.platform ?? 'other', name: os?.name ?? null, version: os?.version ?? null },
        agentVersion: baseline.agent.version,
        groups: device.groups,
      });
      row = await find();
      if (!row) throw new Error(`demo device ${device.hostname} was not enrolled`);
      // A week-old baseline, so "what changed" has something to show.
      setClock(now - 7 * DAY_MS);
      await storeSnapshot(demoCtx, row.id, baseline);
      fresh.push(device);
      result.devices++;
    }
    identities.set(device.key, row);
  }
  setClock(now);
  return { identities, fresh };
}

async function ensureContent(ctx: ServerContext, author: StaffUser, result: DemoSeedResult): Promise<void> {
  const actor = { staffId: author.id, ip: null };
  for (const article of DEMO_ARTICLES) {
    const exists = await ctx.db.kysely
      .selectFrom('articles')
      .select('id')
      .where('title', '=', article.title)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (exists) continue;
    await createArticle(ctx, actor, createArticleRequestSchema.parse(article));
    result.articles++;
  }
  const announced = await ctx.db.kysely
    .selectFrom('announcements')
    .select('id')
    .where('title', '=', DEMO_ANNOUNCEMENT.title)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!announced) {
    await createAnnouncement(ctx, actor, createAnnouncementRequestSchema.parse(DEMO_ANNOUNCEMENT));
    result.announcements++;
  }
}
