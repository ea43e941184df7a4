/** An error carried as a value across IPC, HTTP and probe boundaries. */
export interface AppError {
  code: string;
  message: string;
}

/** Success or failure as a value; never thrown across a boundary. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a success. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

/** Wraps a code and message as a failure. */
export function err(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Ends an exhaustive switch; the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
