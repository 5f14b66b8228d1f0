/**
 * Settles as `pending` does, or rejects with `onTimeout()` once `timeoutMs` has passed.
 * A late rejection of `pending` is swallowed: nobody is waiting for it any more.
 */
export async function withTimeout<T>(
  pending: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  pending.catch(() => undefined);
  try {
    return await Promise.race([pending, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
