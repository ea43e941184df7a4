import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { attachmentSchema, attachmentUploadSchema } from '../../shared/api/tickets';
import type { Auth } from '../auth/guards';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { ApiError, notFound, tooLarge } from '../errors';
import { findAttachmentFile, insertAttachmentRows, listAttachmentsOfMessages } from './attachments.repo';

type Executor = Kysely<Database> | Transaction<Database>;
type Upload = z.output<typeof attachmentUploadSchema>;
type AttachmentMeta = z.infer<typeof attachmentSchema>;

/** Largest attachment accepted, decoded. */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

const SCREENSHOT_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const FILE_TYPES = new Set(['text/plain', 'application/pdf', 'application/zip', 'application/json']);
// SVG is an image that can carry script; a help desk has no need to accept it.
export const isAllowedFileType = (type: string) =>
  FILE_TYPES.has(type) || (type.startsWith('image/') && type !== 'image/svg+xml');

// A screenshot must be what it says it is, so the console can show it inline without guessing.
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};

/** An upload decoded and checked, ready to insert. */
export interface DecodedAttachment {
  kind: 'screenshot' | 'file';
  filename: string;
  contentType: string;
  data: Buffer;
}

const unsupported = (message: string) => new ApiError(415, 'unsupported_attachment_type', message);

/**
 * Decodes base64 uploads and checks size and type: 413 attachment_too_large, 415 unsupported_attachment_type.
 * Done before any transaction so a bad upload costs no database work.
 */
export function decodeAttachments(uploads: readonly Upload[]): DecodedAttachment[] {
  return uploads.map((upload) => {
    const contentType = upload.contentType.toLowerCase();
    const allowed = upload.kind === 'screenshot' ? SCREENSHOT_TYPES.has(contentType) : isAllowedFileType(contentType);
    if (!allowed) {
      throw unsupported(
        upload.kind === 'screenshot'
          ? `A screenshot must be image/png, image/jpeg or image/webp, not ${contentType}`
          : `Files of type ${contentType} are not accepted; send an image, text/plain, application/pdf, application/zip or application/json`,
      );
    }
    // Checked from the base64 length first, so an oversized upload is refused without decoding it.
    const padding = upload.dataBase64.endsWith('==') ? 2 : upload.dataBase64.endsWith('=') ? 1 : 0;
    const decodedSize = Math.floor((upload.dataBase64.length * 3) / 4) - padding;
    if (decodedSize > MAX_ATTACHMENT_BYTES)
      throw tooLarge(
        'attachment_too_large',
        `${upload.filename} is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`,
      );
    const data = Buffer.from(upload.dataBase64, 'base64');
    const matches = SIGNATURES[contentType];
    if (upload.kind === 'screenshot' && matches && !matches(data))
      throw unsupported(`${upload.filename} is not a ${contentType} image`);
    return { kind: upload.kind, filename: upload.filename, contentType, data };
  });
}

/** Stores decoded attachments of a ticket (messageId null) or of one of its messages; returns their metadata. */
export async function insertAttachments(
  db: Executor,
  ticketId: number,
  messageId: number | null,
  files: readonly DecodedAttachment[],
  now: number,
): Promise<AttachmentMeta[]> {
  if (files.length === 0) return [];
  const ids = await insertAttachmentRows(db, ticketId, messageId, files, now);
  return files.map((f, i) => ({
    id: Number(ids[i]),
    kind: f.kind,
    filename: f.filename,
    contentType: f.contentType,
    size: f.data.length,
  }));
}

/** Attachment metadata of the given messages (never the bytes), grouped by message id. */
export async function attachmentsOfMessages(
  db: Executor,
  ticketIds: readonly number[],
  messageIds: readonly number[],
): Promise<Map<number, AttachmentMeta[]>> {
  const byMessage = new Map<number, AttachmentMeta[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await listAttachmentsOfMessages(db, ticketIds, messageIds);
  for (const row of rows) {
    const list = byMessage.get(Number(row.message_id)) ?? [];
    list.push({ id: row.id, kind: row.kind, filename: row.filename, contentType: row.content_type, size: row.size });
    byMessage.set(Number(row.message_id), list);
  }
  return byMessage;
}

/** An attachment's bytes for a caller: a device only gets its own tickets' attachments, never an internal note's. */
export async function loadAttachment(
  ctx: ServerContext,
  auth: Auth,
  id: number,
): Promise<{ filename: string; contentType: string; data: Buffer }> {
  const row = await findAttachmentFile(ctx.db.kysely, id);
  const visible = row && (auth.kind === 'staff' || (row.device_id === auth.device.id && row.internal !== 1));
  if (!row || !visible) throw notFound('Attachment', 'attachment_not_found');
  return { filename: row.filename, contentType: row.content_type, data: row.data };
}

/** A Content-Disposition that forces a download and survives any file name (RFC 6266 / 5987). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
