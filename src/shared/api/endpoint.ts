import type { z } from 'zod';
import type { EndpointName } from './endpoint-routes';

/*
 * The schema half of an endpoint declaration (the route half — method, path, caller — is in
 * endpoint-routes.ts under the same name). Each domain declares its group beside its schemas
 * (tickets.ts, devices.ts, …); endpoints.ts gathers the groups into the one table, and the type there
 * refuses a missing or unknown name.
 */

/** The 4xx answers an endpoint may give besides those its caller and inputs imply. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 410 | 413 | 415 | 422 | 426 | 429 | 503;
/** 101: the WebSocket upgrade of the live channel (the HTTP answer is never a body). */
export type SuccessStatus = 101 | 200 | 201 | 202 | 204;

export interface EndpointSchemas {
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** More for the OpenAPI document where the summary is not enough (e.g. an unusual answer). */
  readonly description?: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The success answers; the first one is what a client's call returns. */
  readonly responses: Readonly<Partial<Record<SuccessStatus, z.ZodType>>>;
  /**
   * Error answers beyond the implied ones (401 for callers that must sign in or enroll, 403 for
   * staff, 400 where there are inputs); every error body is the shared apiErrorSchema.
   */
  readonly errors?: readonly ErrorStatus[];
  /** Where the answer is not JSON (a CSV report, an attachment's bytes). */
  readonly produces?: string;
}

export type EndpointGroup = { readonly [K in EndpointName]?: EndpointSchemas } & { readonly tag: string };

/** Declares one domain's endpoints under an OpenAPI tag; names must exist in ROUTES. */
export function endpointGroup<
  const T extends { readonly [K in keyof T]: K extends EndpointName ? EndpointSchemas : never },
>(tag: string, endpoints: T): { readonly tag: string; readonly endpoints: T } {
  return { tag, endpoints };
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type FirstSuccess<R> = R extends { 200: infer S }
  ? S
  : R extends { 201: infer S }
    ? S
    : R extends { 202: infer S }
      ? S
      : undefined;

/** What a client sends and receives for an endpoint declared as `E`. */
export type BodyIn<E extends EndpointSchemas> = In<E['body']>;
export type QueryIn<E extends EndpointSchemas> = In<E['query']>;
export type ResponseOut<E extends EndpointSchemas> = Out<FirstSuccess<E['responses']>>;
/** What a handler gets after validation and returns before serialization. */
export type ParamsOut<E extends EndpointSchemas> = Out<E['params']>;
export type QueryOut<E extends EndpointSchemas> = Out<E['query']>;
export type BodyOut<E extends EndpointSchemas> = Out<E['body']>;
export type ResponseIn<E extends EndpointSchemas> = {
  [S in keyof E['responses']]: In<E['responses'][S]>;
}[keyof E['responses']];
