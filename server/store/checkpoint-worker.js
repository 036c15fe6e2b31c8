// The WAL checkpointer's thread (see checkpointer.ts): its own connection to the game's database,
// a PASSIVE checkpoint every interval. Plain JavaScript: a worker thread does not get the main
// thread's TypeScript hooks.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for the game's writes; what it cannot copy now, it copies next time.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
}, workerData.intervalMs);

parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
