// The physical limit: a bare node:net server that copies each line a client sends to every other
// socket in the sender's room, bytes as they came, nothing else. Every socket starts in one room;
// the line `/room NAME` moves its sender to room NAME (for travel). Started by the benchmark as a
// child process with an IPC channel; answers {type:'stats', gc} with its CPU time and memory so it
// is measured like the game.
import { createServer, type Socket } from 'node:net';

const MAX_LINE = 4096;
const ROOM = '/room ';
const rooms = new Map<string, Set<Socket>>();
const roomOf = new Map<Socket, Set<Socket>>();

function join(socket: Socket, name: string): void {
  roomOf.get(socket)?.delete(socket);
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(socket);
  roomOf.set(socket, room);
}

const server = createServer((socket) => {
  join(socket, '');
  socket.setNoDelay(true);
  let pending: Buffer | null = null;
  socket.on('data', (chunk: Buffer) => {
    let data = pending ? Buffer.concat([pending, chunk]) : chunk;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      const line = data.subarray(0, nl + 1);
      if (line.toString('latin1', 0, ROOM.length) === ROOM) join(socket, line.toString('utf8', ROOM.length, nl).trim());
      else for (const other of roomOf.get(socket)!) if (other !== socket) other.write(line);
      data = data.subarray(nl + 1);
    }
    pending = data.length && data.length <= MAX_LINE ? data : null;
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    roomOf.get(socket)?.delete(socket);
    roomOf.delete(socket);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`bare fanout listening on 127.0.0.1:${port}\n`);
});

process.on('message', (msg: unknown) => {
  if (typeof msg !== 'object' || msg === null || (msg as { type?: unknown }).type !== 'stats') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if ((msg as { gc?: unknown }).gc === true && gc) gc();
  const mem = process.memoryUsage();
  process.send?.({ type: 'stats', cpu: process.cpuUsage(), rss: mem.rss, heapUsed: mem.heapUsed, connections: roomOf.size, gc: Boolean(gc) });
});
// The benchmark went away, or asks us to stop: exit (normally, so a --cpu-prof profile is written).
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
