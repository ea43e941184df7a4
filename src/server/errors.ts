/** An error meant for the client: HTTP status, stable code, clear message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** 400: the request is malformed. */
export const badRequest = (code: string, message: string, details?: unknown) =>
  new ApiError(400, code, message, details);
/** 401: no or invalid credentials. */
export const unauthorized = (message = 'Sign in first', code = 'unauthorized') => new ApiError(401, code, message);
/** 403: signed in but not allowed. */
export const forbidden = (message = 'You are not allowed to do this', code = 'forbidden') =>
  new ApiError(403, code, message);
/** 404: does not exist, or must not be known to exist. */
export const notFound = (what = 'Resource', code = 'not_found') => new ApiError(404, code, `${what} not found`);
/** 409: conflicts with the current state. */
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
/** 413: too large. */
export const tooLarge = (code: string, message: string) => new ApiError(413, code, message);
/** 422: well-formed but semantically impossible. */
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new ApiError(422, code, message, details);
