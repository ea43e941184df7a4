import { z } from 'zod';
import { endpointGroup } from './endpoint';

/*
 * The speed test's server side (the catalog's net.speed-test, src/main/actions/speed-test.action.ts): an
 * enrolled device downloads a payload of the size it asks for and uploads one to a sink that counts and
 * discards it, both capped in size, per device rate limited, and time-boxed by the agent so a slow link
 * ends with what moved rather than a timeout.
 */

/** The most either transfer moves: the catalog's largest test (100 megabytes). */
export const SPEED_TEST_MAX_BYTES = 100 * 1024 * 1024;
/** Transfers (a download or an upload) one device may start per minute; a test is two. */
export const SPEED_TEST_TRANSFERS_PER_MINUTE = 6;
/** Transfers one server process runs at once (each may fill the link); more are told to retry. */
export const SPEED_TEST_CONCURRENT_MAX = 8;
/** How long the agent lets each transfer run before it stops and measures what moved. */
export const SPEED_TEST_MAX_SECONDS = 15;
/** Content-Type of both payloads. */
export const SPEED_TEST_CONTENT_TYPE = 'application/octet-stream';

export const speedTestDownloadQuerySchema = z.object({
  bytes: z.coerce.number().int().min(1).max(SPEED_TEST_MAX_BYTES),
});

export const speedTestUploadResultSchema = z.object({
  /** Bytes the server received. */
  bytes: z.number().int().nonnegative(),
  /** From the first byte of the body to its end, as the server saw it. */
  ms: z.number().nonnegative(),
});
export type SpeedTestUploadResult = z.infer<typeof speedTestUploadResultSchema>;

export const speedTestEndpoints = endpointGroup('speed-test', {
  speedTestDownload: {
    summary: 'Speed test: download the number of bytes asked for (incompressible, at most 100 MiB)',
    description: `Answers \`bytes\` bytes of ${SPEED_TEST_CONTENT_TYPE}. At most ${SPEED_TEST_TRANSFERS_PER_MINUTE} transfers a minute per device (429 \`too_many_speed_tests\`, Retry-After) and ${SPEED_TEST_CONCURRENT_MAX} at once per server (503 \`speed_test_busy\`, Retry-After).`,
    query: speedTestDownloadQuerySchema,
    produces: SPEED_TEST_CONTENT_TYPE,
    responses: { 200: z.unknown().describe('The payload') },
    errors: [429, 503],
  },
  speedTestUpload: {
    summary: 'Speed test: upload a payload (at most 100 MiB) that the server counts and discards',
    description: `The body is raw ${SPEED_TEST_CONTENT_TYPE} (415 otherwise), at most ${SPEED_TEST_MAX_BYTES} bytes (413). Answers the bytes received and how long they took. Rate limited like the download.`,
    responses: { 200: speedTestUploadResultSchema },
    errors: [413, 415, 429, 503],
  },
});
