import { err, ok, type Result } from '../../shared/result';

/*
 * The last wall between a parameter and a program's options. The catalog's schemas already refuse a
 * value that starts with "-" or holds a shell character; these checks run again right before an argument
 * array is built, so an implementation that forgot to validate still cannot pass an option through.
 */

const SAFE_OPERAND = /^[A-Za-z0-9_.:/@+=?,~][A-Za-z0-9_.:/@+=?,~-]*$/;

/** A value placed in an argument array as an operand: never an option, never a control character. */
export function operand(value: string, field: string): Result<string> {
  if (!SAFE_OPERAND.test(value) || value.includes('..')) {
    return err('bad-params', `${field}: ${JSON.stringify(value.slice(0, 64))} cannot be passed to a program`);
  }
  return ok(value);
}
