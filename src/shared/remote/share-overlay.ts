import { z } from 'zod';
import {
  SHARE_ANNOTATION_COLORS,
  SHARE_OVERLAY_MESSAGE_MAX,
  SHARE_OVERLAY_POINTS_MAX,
  type ShareAnnotationColor,
} from './share-limits';

/*
 * The technician's pointer and annotations over a shared screen (issue 13): what the console sends on the
 * overlay data channel (SHARE_OVERLAY_CHANNEL, ordered), and what the employee's computer draws over the shared
 * screen. Every position is a fraction (0..1) of the shared picture's width and height, so it lands on the same
 * spot of the employee's screen whatever the two sizes. The employee's computer validates each message on
 * receipt (parseShareOverlayMessage, in the main process) and drops anything else; the limits are in
 * share-limits.ts (zod-free, for the bundles).
 *
 *   pointer / pointer-hide   the technician's cursor over the picture, live
 *   pen                      a freehand stroke, sent in pieces while it is drawn: points are appended to `id`
 *   shape                    an arrow (from → to, the head at `to`) or a circle (the ellipse inside from/to),
 *                            replaced while it is dragged
 *   undo / clear             removes one annotation / all of them
 *
 * `fade`: the annotation fades out a few seconds after it is finished; otherwise it stays until cleared.
 */

const fraction = z.number().min(0).max(1);
const point = z.tuple([fraction, fraction]);
const strokeId = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const color = z.enum(Object.keys(SHARE_ANNOTATION_COLORS) as [ShareAnnotationColor, ...ShareAnnotationColor[]]);

export const shareOverlayMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pointer'), x: fraction, y: fraction }),
  z.strictObject({ type: z.literal('pointer-hide') }),
  z.strictObject({
    type: z.literal('pen'),
    id: strokeId,
    color,
    fade: z.boolean(),
    points: z.array(point).max(SHARE_OVERLAY_POINTS_MAX),
    done: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('shape'),
    id: strokeId,
    shape: z.enum(['arrow', 'circle']),
    color,
    fade: z.boolean(),
    from: point,
    to: point,
    done: z.boolean(),
  }),
  z.strictObject({ type: z.literal('undo'), id: strokeId }),
  z.strictObject({ type: z.literal('clear') }),
]);
export type ShareOverlayMessage = z.infer<typeof shareOverlayMessageSchema>;
export type ShareOverlayPoint = z.infer<typeof point>;

/** Reads one overlay data-channel message (JSON text); null for anything too long, malformed or unknown. */
export function parseShareOverlayMessage(data: unknown): ShareOverlayMessage | null {
  if (typeof data !== 'string' || data.length > SHARE_OVERLAY_MESSAGE_MAX) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = shareOverlayMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
