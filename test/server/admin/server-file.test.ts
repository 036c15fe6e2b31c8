import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readServerFile, reachableHost, removeServerFile, SERVER_FILE, serverFileFor, writeServerFile } from '../../../server/admin/server-file.js';
import { tempDir } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

describe('DATA_DIR/server.json', () => {
  it('round-trips, mode 0600, and is removed only by the process it names', () => {
    const d = dir();
    const info = serverFileFor({ host: '0.0.0.0', telnetPort: 5000, wsPort: 5001 });
    expect(info.admin_url).toBe('http://127.0.0.1:5001');
    writeServerFile(d, info);
    expect(statSync(join(d, SERVER_FILE)).mode & 0o777).toBe(0o600);
    expect(readServerFile(d)).toEqual(info);
    removeServerFile(d, process.pid + 1); // another server's stop: not its file
    expect(readServerFile(d)).toEqual(info);
    removeServerFile(d);
    expect(readServerFile(d)).toBeNull();
  });

  it('ignores a file whose process is gone, and one that is not ours to read', () => {
    const d = dir();
    writeServerFile(d, serverFileFor({ host: '127.0.0.1', telnetPort: 1, wsPort: 2, pid: 999_999 }));
    expect(readServerFile(d, () => false)).toBeNull();
    writeFileSync(join(d, SERVER_FILE), '{not json');
    expect(readServerFile(d)).toBeNull();
    writeFileSync(join(d, SERVER_FILE), JSON.stringify({ pid: 'x' }));
    expect(readServerFile(d)).toBeNull();
  });

  it('turns listening addresses into ones a local client can reach', () => {
    expect(reachableHost('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableHost('::')).toBe('[::1]');
    expect(reachableHost('::1')).toBe('[::1]');
    expect(reachableHost('192.0.2.7')).toBe('192.0.2.7');
  });
});
