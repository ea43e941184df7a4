import { expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES } from '../../src/server/tickets/attachments.service';
import { describeEachDatabase, withTwoDevices, type EnrolledDevice, type TestServer } from './harness';
import { fileTicket, PNG_BASE64, postMessage, postTicket, ticketPayload } from './ticket-helpers';

const png = { kind: 'screenshot', filename: 'screen.png', contentType: 'image/png', dataBase64: PNG_BASE64 } as const;

describeEachDatabase('ticket attachments', (dialect) => {
  let s: TestServer;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  withTwoDevices(dialect, (suite) => ({ s, device, other } = suite));

  const download = (id: number | string, headers: Record<string, string>) =>
    s.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers });
  const attachmentsOf = (ticketId: number) =>
    s.db.kysely
      .selectFrom('attachments')
      .select(['id', 'message_id', 'kind', 'filename', 'content_type', 'size'])
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();

  it('stores a screenshot with the ticket and serves the same bytes back as a download', async () => {
    const notes = {
      kind: 'file',
      filename: 'notes "v2".txt',
      contentType: 'text/plain',
      dataBase64: Buffer.from('errors since 9:00').toString('base64'),
    } as const;
    const res = await postTicket(s, device, ticketPayload({ attachments: [png, notes] }));
    expect(res.statusCode).toBe(201);
    const stored = await attachmentsOf(res.json().id);
    expect(stored).toEqual([
      {
        id: expect.any(Number),
        message_id: null,
        kind: 'screenshot',
        filename: 'screen.png',
        content_type: 'image/png',
        size: Buffer.from(PNG_BASE64, 'base64').length,
      },
      {
        id: expect.any(Number),
        message_id: null,
        kind: 'file',
        filename: 'notes "v2".txt',
        content_type: 'text/plain',
        size: 17,
      },
    ]);
    for (const headers of [device.headers, s.tech.headers]) {
      const file = await download(stored[0]!.id, headers);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true);
      expect(file.headers['content-type']).toBe('image/png');
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="screen.png"; filename*=UTF-8''screen.png`,
      );
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      // The route's own sandbox policy wins over the API-wide one set by helmet.
      expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    }
    const text = await download(stored[1]!.id, device.headers);
    expect(text.body).toBe('errors since 9:00');
    expect(text.headers['content-disposition']).toBe(
      `attachment; filename="notes _v2_.txt"; filename*=UTF-8''notes%20%22v2%22.txt`,
    );
  });

  it('lists the attachments filed with the ticket itself for staff and the owning device, not message attachments', async () => {
    const res = await postTicket(s, device, ticketPayload({ attachments: [png] }));
    const ticketId = res.json().id as number;
    await postMessage(s, device, ticketId, {
      body: 'and a log',
      attachments: [
        {
          kind: 'file',
          filename: 'log.txt',
          contentType: 'text/plain',
          dataBase64: Buffer.from('x').toString('base64'),
        },
      ],
    });
    for (const headers of [s.tech.headers, device.headers]) {
      const list = await s.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/attachments`, headers });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({
        attachments: [
          {
            id: expect.any(Number),
            kind: 'screenshot',
            filename: 'screen.png',
            contentType: 'image/png',
            size: Buffer.from(PNG_BASE64, 'base64').length,
          },
        ],
      });
    }
    const stranger = await s.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      headers: other.headers,
    });
    expect(stranger.statusCode).toBe(404);
  });

  it('attaches files to messages and lists their metadata with the message', async () => {
    const id = await fileTicket(s, device);
    const log = {
      kind: 'file',
      filename: 'log.json',
      contentType: 'application/json',
      dataBase64: Buffer.from('{"ok":false}').toString('base64'),
    } as const;
    const res = await postMessage(s, device, id, { body: 'Here is the log', attachments: [log] });
    expect(res.statusCode).toBe(201);
    expect(res.json().attachments).toEqual([
      { id: expect.any(Number), kind: 'file', filename: 'log.json', contentType: 'application/json', size: 12 },
    ]);
    const listed = await s.inject({ method: 'GET', url: `/api/v1/tickets/${id}/messages`, headers: s.tech.headers });
    expect(listed.json().messages[0].attachments).toEqual(res.json().attachments);
  });

  it('refuses types outside the allow-lists with 415', async () => {
    const cases: Array<{ kind: 'screenshot' | 'file'; filename: string; contentType: string; dataBase64: string }> = [
      { ...png, contentType: 'image/gif' },
      { ...png, kind: 'file', contentType: 'application/x-msdownload', filename: 'fix.exe' },
      { ...png, kind: 'file', contentType: 'text/html', filename: 'page.html' },
      { ...png, kind: 'file', contentType: 'image/svg+xml', filename: 'logo.svg' },
      // Says PNG, is not one.
      { ...png, dataBase64: Buffer.from('<html>definitely a png</html>').toString('base64') },
    ];
    for (const attachment of cases) {
      const res = await postTicket(s, device, ticketPayload({ snapshot: undefined, attachments: [attachment] }));
      expect(res.statusCode, `${attachment.kind} ${attachment.contentType}`).toBe(415);
      expect(res.json().error.code).toBe('unsupported_attachment_type');
    }
    const id = await fileTicket(s, device);
    const onMessage = await postMessage(s, device, id, {
      body: 'x',
      attachments: [{ ...png, kind: 'file', contentType: 'application/octet-stream' }],
    });
    expect(onMessage.statusCode).toBe(415);
  });

  it('refuses attachments over 8 MiB with 413 and stores nothing', async () => {
    const tooBig = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x41).toString('base64');
    const before = await s.db.kysely
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await postTicket(
      s,
      device,
      ticketPayload({
        snapshot: undefined,
        attachments: [{ kind: 'file', filename: 'big.txt', contentType: 'text/plain', dataBase64: tooBig }],
      }),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('attachment_too_large');
    const after = await s.db.kysely
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const exactly = Buffer.alloc(MAX_ATTACHMENT_BYTES, 0x41).toString('base64');
    const ok = await postTicket(
      s,
      device,
      ticketPayload({
        snapshot: undefined,
        attachments: [{ kind: 'file', filename: 'limit.txt', contentType: 'text/plain', dataBase64: exactly }],
      }),
    );
    expect(ok.statusCode).toBe(201);
  });

  it("hides other devices' attachments and internal notes' attachments from devices", async () => {
    const res = await postTicket(s, device, ticketPayload({ snapshot: undefined, attachments: [png] }));
    const [attachment] = await attachmentsOf(res.json().id);
    const theirs = await download(attachment!.id, other.headers);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('attachment_not_found');
    expect((await download(987_654, device.headers)).statusCode).toBe(404);

    const note = await postMessage(s, s.tech, res.json().id, {
      body: 'Screenshot of the admin console',
      internal: true,
      attachments: [png],
    });
    const hidden = note.json().attachments[0].id as number;
    expect((await download(hidden, device.headers)).statusCode).toBe(404);
    expect((await download(hidden, s.tech.headers)).statusCode).toBe(200);
  });

  it('answers 400 for bad ids and bad uploads, 401 without credentials', async () => {
    for (const id of ['abc', '-1', '1e20']) expect((await download(id, device.headers)).statusCode, id).toBe(400);
    expect((await download(1, {})).statusCode).toBe(401);
    const bad = [
      { ...png, dataBase64: 'not base64!' },
      { ...png, filename: '' },
      { ...png, contentType: 'png' },
      { ...png, kind: 'video' },
    ];
    for (const attachment of bad) {
      const res = await postTicket(
        s,
        device,
        ticketPayload({ snapshot: undefined, attachments: [attachment as typeof png] }),
      );
      expect(res.statusCode, JSON.stringify(attachment).slice(0, 80)).toBe(400);
    }
    const six = await postTicket(
      s,
      device,
      ticketPayload({ snapshot: undefined, attachments: Array.from({ length: 6 }, () => png) }),
    );
    expect(six.statusCode).toBe(400);
  });
});
