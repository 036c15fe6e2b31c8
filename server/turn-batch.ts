// "Once at the end of this event-loop turn, for each of these": both doors gather a turn's output
// per connection and write it in one go, with one setImmediate for all connections rather than a
// timer each. A failure on one item is handed to `onError` and does not stop the others.
export function turnBatch<T>(run: (item: T) => void, onError: (item: T, err: unknown) => void): (item: T) => void {
  const queued: T[] = [];
  let scheduled = false;
  const runAll = () => {
    scheduled = false;
    // Whatever a run queues (MCCP2's compressed bytes arrive later) waits for the next turn.
    for (const item of queued.splice(0)) {
      try {
        run(item);
      } catch (err) {
        onError(item, err);
      }
    }
  };
  return (item) => {
    queued.push(item);
    if (scheduled) return;
    scheduled = true;
    setImmediate(runAll);
  };
}
