// A typed listener list: the transports' `on(event, listener) → unsubscribe`.
type AnyListener = (...args: never[]) => void;

export class Emitter<Events extends { [E in keyof Events]: AnyListener }> {
  private readonly listeners = new Map<keyof Events, Set<AnyListener>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // A listener that throws must not starve the others (one broken view, not a dead app).
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (err) {
        console.error(`vigil: a '${String(event)}' listener failed`, err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
