import { audit } from '../audit/audit.service';
import type { ServerContext } from '../context';
import { serve } from '../http/endpoint';
import type { App } from '../http/types';
import { staffOf } from './guards';
import { createStaff, listStaff, updateStaff } from './staff.service';

/** Staff accounts: technicians may list them (to assign tickets); only admins change them. */
export async function staffRoutes(app: App, ctx: ServerContext): Promise<void> {
  serve(app, ctx, 'listStaff', async () => ({ staff: await listStaff(ctx.db) }));

  serve(app, ctx, 'createStaff', async (request, reply) => {
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
  });

  serve(app, ctx, 'updateStaff', async (request) => {
    const staff = await updateStaff(ctx.db, request.params.id, request.body);
    await audit(ctx, {
      actorType: 'staff',
      actorId: staffOf(request).id,
      action: 'staff.update',
      targetType: 'staff',
      targetId: staff.id,
      details: { fields: Object.keys(request.body) },
      ip: request.ip,
    });
    return staff;
  });
}
