// One clock for every process of a bench. process.hrtime reads CLOCK_MONOTONIC, which the
// kernel shares between processes, so a time taken in the writer process and a time taken in
// the client process can be subtracted (Date.now() is wall-clock and only ms-precise).
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until `test()` holds, polling every `everyMs`; false when `timeoutMs` passes first. */
export async function waitFor(test: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if (await test()) return true;
    await sleep(everyMs);
  }
  return await test();
}
