// The WAL checkpointer's thread (see checkpointer.ts): its own connection to the game's database,
// a PASSIVE checkpoint every interval, until told to stop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointerData {
  file: string;
  intervalMs: number;
}

const port = parentPort;
if (!port) throw new Error('checkpoint-worker runs as a worker thread');
const { file, intervalMs } = workerData as CheckpointerData;
const db = new Database(file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for the game's writes; what it cannot copy now, it copies next time.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    port.postMessage({ error: String(err) });
  }
}, intervalMs);

port.on('message', (msg: unknown) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
