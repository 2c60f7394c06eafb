// How a long-running command (serve, demo, watch) learns it should stop: SIGINT or SIGTERM. A
// second Ctrl-C while it is closing means "now".

/** Resolves with the signal that asked us to stop. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.once('SIGINT', () => process.exit(130));
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
