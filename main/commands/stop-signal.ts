// How a long-running command (serve, demo, start) learns it should stop: Ctrl-C, a service
// manager's SIGTERM, or the terminal closing (SIGHUP). Each gets the same clean shutdown, so
// a closed terminal does not leave a demo workspace or a listening port behind.
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Resolves with the first stop signal; a second Ctrl-C while closing exits at once. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const s of STOP_SIGNALS) process.off(s, stop);
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, stop);
  });
}
