// The event bus: typed publish/subscribe. The in-process implementation delivers synchronously, in
// subscription order. It is an interface so that a bus over a broker (NATS, Redis) can replace it
// to run several server processes; no module calls another room's or door's code around it.
import type { Logger } from 'pino';
import type { GameEventName, GameEvents } from './events.js';

export type Handler<K extends GameEventName> = (payload: GameEvents[K]) => void;

export interface EventBus {
  publish<K extends GameEventName>(name: K, payload: GameEvents[K]): void;
  /** Returns the function that unsubscribes. */
  subscribe<K extends GameEventName>(name: K, handler: Handler<K>): () => void;
  /** How many handlers are subscribed, all names together (/metrics: it must not grow). */
  subscriberCount(): number;
  /** Events published so far, per name (for /metrics). */
  publishedCounts(): ReadonlyMap<GameEventName, number>;
}

export class InProcessBus implements EventBus {
  // Handlers are kept as an array per name; publish iterates a snapshot-free loop over the array,
  // and unsubscribe replaces the array, so subscribing during a publish never skips or repeats.
  private readonly handlers = new Map<GameEventName, ReadonlyArray<(p: never) => void>>();
  private readonly counts = new Map<GameEventName, number>();

  constructor(private readonly log: Logger) {}

  publish<K extends GameEventName>(name: K, payload: GameEvents[K]): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    const list = this.handlers.get(name) as ReadonlyArray<Handler<K>> | undefined;
    if (!list) return;
    for (const handler of list) {
      try {
        handler(payload);
      } catch (err) {
        // A broken subscriber must not stop the others, nor the command that published.
        this.log.error({ err, event: name }, 'event subscriber threw');
      }
    }
  }

  subscribe<K extends GameEventName>(name: K, handler: Handler<K>): () => void {
    const add = handler as (p: never) => void;
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), add]);
    // Each call removes its own subscription once: not every copy of a function subscribed twice.
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const list = this.handlers.get(name) ?? [];
      const at = list.indexOf(add);
      const next = at < 0 ? list : list.filter((_, i) => i !== at);
      if (next.length) this.handlers.set(name, next);
      else this.handlers.delete(name);
    };
  }

  subscriberCount(): number {
    let n = 0;
    for (const list of this.handlers.values()) n += list.length;
    return n;
  }

  publishedCounts(): ReadonlyMap<GameEventName, number> {
    return this.counts;
  }
}
