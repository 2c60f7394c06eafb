// Quitting closes every watcher and socket. Each closer runs even when an earlier one fails,
// and a closer that hangs cannot keep the app from quitting.

export interface Closer {
  name: string;
  close: () => Promise<unknown> | unknown;
}

export async function closeAll(closers: readonly Closer[], log: (message: string) => void, timeoutMs = 5000): Promise<void> {
  for (const { name, close } of closers) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(close), timeout]);
      if (outcome === 'timeout') log(`Closing ${name} took over ${timeoutMs} ms; quitting anyway.`);
    } catch (err) {
      log(`Closing ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
