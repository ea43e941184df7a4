/**
 * A signal that aborts when `parent` does (with its reason) or after `ms` (with a TimeoutError, as
 * AbortSignal.timeout). Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: in Node 20 the timeout
 * signal inside such a composite can be garbage-collected before it fires (nodejs/node#57736), and the work
 * then runs until the parent ends it. Here the timer holds the controller. `clear()` when the work is done.
 */
export function abortAfter(parent: AbortSignal, ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  const clear = () => {
    clearTimeout(timer);
    parent.removeEventListener('abort', onParent);
  };
  controller.signal.addEventListener('abort', clear, { once: true });
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  return { signal: controller.signal, clear };
}
