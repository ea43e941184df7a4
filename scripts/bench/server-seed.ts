import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { buildSearchText } from '../../src/server/articles/markdown-text';
import type { Db } from '../../src/server/db/database';

/** Recreates a PostgreSQL database for the benchmark (trust auth on the local server). */
export async function recreatePgDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const WORDS =
  'printer vpn wifi outlook password laptop battery disk slow screen teams zoom update driver network dns proxy certificate keyboard mouse monitor docking camera microphone sound bluetooth excel word onedrive sharepoint backup restore crash freeze login mfa token license install uninstall'.split(
    ' ',
  );

function sentence(seed: number, length: number): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length] ?? 'help');
  }
  return out.join(' ');
}

/** Inserts `count` tickets spread over the last 90 days, in batches, for queue measurements. */
export async function seedTickets(db: Db, count: number, now: number): Promise<void> {
  const device = randomUUID();
  await db.kysely
    .insertInto('devices')
    .values({
      id: device,
      machine_id: `bench-${device}`,
      hostname: 'bench-host',
      os_platform: 'linux',
      os_name: 'Debian',
      os_version: '12',
      agent_version: 'bench',
      groups: '[]',
      token_hash: `bench-${device}`,
      token_revoked_at: null,
      enroll_secret_id: null,
      enrolled_at: now,
      last_seen_at: now,
      health_status: 'unknown',
      health_summary: '{}',
      last_snapshot_id: null,
    })
    .execute();
  const statuses = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
  const priorities = ['p1', 'p2', 'p3', 'p4'] as const;
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const i = start + k;
      const created = now - ((i * 7919) % (90 * 86_400_000));
      return {
        device_id: device,
        requester_name: `Employee ${i % 500}`,
        requester_email: `employee${i % 500}@example.com`,
        subject: sentence(i, 5),
        description: sentence(i + 7, 30),
        category: 'software',
        urgency: 'medium' as const,
        impact: 'low' as const,
        priority: priorities[i % 4] ?? 'p3',
        status: statuses[i % 5] ?? 'open',
        assignee_id: null,
        group_name: i % 3 === 0 ? 'tier1' : 'tier2',
        snapshot_id: null,
        finding_codes: '[]',
        created_at: created,
        updated_at: created,
        first_response_at: null,
        resolved_at: null,
        closed_at: null,
        sla_policy_id: null,
        first_response_due_at: created + 3_600_000,
        resolution_due_at: created + 8 * 3_600_000 + (i % 97) * 60_000,
        sla_state: 'ok' as const,
        escalation_level: 0,
        satisfaction: null,
        satisfaction_comment: null,
        last_message_at: created,
        last_staff_message_id: null,
      };
    });
    await db.kysely.insertInto('tickets').values(rows).execute();
  }
}

/** Inserts `count` published articles; the server's FTS index follows by trigger (SQLite) or generated column (PostgreSQL). */
export async function seedArticles(db: Db, count: number, now: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
      const i = start + k;
      const title = `How to fix ${sentence(i, 3)}`;
      const body = `${sentence(i + 3, 120)}\n\n${sentence(i + 5, 80)}`;
      const tags = [WORDS[i % WORDS.length] ?? 'help'];
      return {
        title,
        body,
        tags: JSON.stringify(tags),
        finding_codes: '[]',
        target_os: '[]',
        target_groups: '[]',
        status: 'published' as const,
        created_at: now,
        updated_at: now,
        published_at: now,
        deleted_at: null,
        views: 0,
        helped: 0,
        search_text: buildSearchText(title, tags, body),
      };
    });
    await db.kysely.insertInto('articles').values(rows).execute();
  }
}

export { WORDS };
