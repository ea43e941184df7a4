import { z } from 'zod';
import { createStaffRequestSchema, staffUserSchema, updateStaffRequestSchema } from '../../shared/api/auth';
import { apiErrorSchema } from '../../shared/api/errors';
import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import type { App } from '../http/types';
import { toStaffDto } from './auth.routes';
import { hashPassword } from './crypto';
import { requireStaff, staffOf } from './guards';
import { createStaff } from './staff.service';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** Staff accounts: technicians may list them (to assign tickets); only admins change them. */
export async function staffRoutes(app: App, ctx: ServerContext): Promise<void> {
  app.get(
    '/api/v1/staff',
    {
      onRequest: requireStaff(ctx),
      schema: {
        tags: ['staff'],
        summary: 'List staff',
        response: { 200: z.object({ staff: z.array(staffUserSchema.extend({ active: z.boolean() })) }) },
      },
    },
    async () => {
      const rows = await ctx.db.kysely
        .selectFrom('staff_users')
        .select(['id', 'email', 'name', 'role', 'group_name', 'active'])
        .orderBy('name')
        .execute();
      return { staff: rows.map((r) => ({ ...toStaffDto(r), active: r.active === 1 })) };
    },
  );

  app.post(
    '/api/v1/staff',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account (admin)',
        body: createStaffRequestSchema,
        response: { 201: staffUserSchema, 409: apiErrorSchema },
      },
    },
    async (request, reply) => {
      const id = await createStaff(ctx.db, request.body, ctx.now());
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'staff.create',
        targetType: 'staff',
        targetId: id,
        details: { email: request.body.email, role: request.body.role },
        ip: request.ip,
      });
      return reply.status(201).send({
        id,
        email: request.body.email.toLowerCase(),
        name: request.body.name,
        role: request.body.role,
        group: request.body.group,
      });
    },
  );

  app.patch(
    '/api/v1/staff/:id',
    {
      onRequest: requireStaff(ctx, 'admin'),
      schema: {
        tags: ['staff'],
        summary: 'Change a staff account (admin)',
        params: idParams,
        body: updateStaffRequestSchema,
        response: { 200: staffUserSchema, 404: apiErrorSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const update = {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.role !== undefined ? { role: b.role } : {}),
        ...(b.group !== undefined ? { group_name: b.group } : {}),
        ...(b.active !== undefined ? { active: b.active ? 1 : 0 } : {}),
        ...(b.password !== undefined ? { password_hash: await hashPassword(b.password) } : {}),
      };
      const row = await ctx.db.kysely
        .updateTable('staff_users')
        .set(update)
        .where('id', '=', request.params.id)
        .returning(['id', 'email', 'name', 'role', 'group_name'])
        .executeTakeFirst();
      if (!row) throw notFound('Staff member');
      // A deactivated or re-passworded account loses its sessions at once.
      if (b.active === false || b.password !== undefined)
        await ctx.db.kysely.deleteFrom('sessions').where('user_id', '=', row.id).execute();
      await audit(ctx, {
        actorType: 'staff',
        actorId: staffOf(request).id,
        action: 'staff.update',
        targetType: 'staff',
        targetId: row.id,
        details: { fields: Object.keys(b) },
        ip: request.ip,
      });
      return toStaffDto(row);
    },
  );
}
