// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
// takes the WAL past 1,000 pages, on our one thread: it copies the pages into the database file and
// fsyncs it while every player waits. So the game's connection never checkpoints (wal_autocheckpoint = 0) and a worker
// thread with a connection of its own does it every second. Should the worker fail, the game's
// connection goes back to checkpointing itself: slower moments, but a WAL that never stops growing
// would be worse.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { compiledModule } from '../compiled.js';
import type { CheckpointerData } from './checkpoint-worker.js';

export interface Checkpointer {
  stop(): void;
}

export function startCheckpointer(db: Database.Database, file: string, onError: (err: unknown) => void, intervalMs = 1000): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const fallBack = (err: unknown) => {
    if (stopped) return;
    stopped = true;
    onError(err);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  const workerData: CheckpointerData = { file, intervalMs };
  const worker = new Worker(compiledModule(import.meta.url, './checkpoint-worker.js'), { workerData });
  // Not a reason to keep the process alive: a stopping server closes the database itself.
  worker.unref();
  worker.on('message', (msg: { error?: string }) => {
    if (msg.error) onError(new Error(`WAL checkpoint: ${msg.error}`));
  });
  worker.on('error', fallBack);
  worker.on('exit', (code) => {
    if (!stopped) fallBack(new Error(`the WAL checkpoint thread exited (code ${code})`));
  });
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
    },
  };
}
