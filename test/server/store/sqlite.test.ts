import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../../server/store/migrations.js';
import { NameTakenError, type Store } from '../../../server/store/repository.js';
import { openSqliteStore } from '../../../server/store/sqlite.js';
import { tempDir } from '../helpers.js';

const dirs: string[] = [];
const stores: Store[] = [];

function fresh(): { file: string; open(): Store } {
  const dir = tempDir();
  dirs.push(dir);
  const file = join(dir, 'nested', 'mythos.db'); // the data dir may not exist yet
  return {
    file,
    open() {
      const s = openSqliteStore(file);
      stores.push(s);
      return s;
    },
  };
}

afterEach(() => {
  for (const s of stores.splice(0)) {
    try {
      s.close();
    } catch {
      // closed by the test already
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const input = (name: string, roomId = 'arkham_downtown_001') => ({ name, passwordHash: 'h', role: 'player' as const, roomId });

describe('the SQLite store', () => {
  it('creates the file, runs the migrations once, and records the version in user_version', () => {
    const f = fresh();
    f.open().close();
    const db = new Database(f.file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(MIGRATIONS.length).toBeGreaterThanOrEqual(1);
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      expect(tables.map((t) => t.name)).toEqual(['accounts', 'characters']);
    } finally {
      db.close();
    }
    // A second open finds the version and runs nothing again (re-creating a table would throw).
    const again = f.open();
    again.createAccount(input('armitage'));
    expect(again.findAccount('armitage')).toBeDefined();
  });

  it('migrates only what is missing, each migration in order', () => {
    const f = fresh();
    f.open().close();
    const db = new Database(f.file);
    try {
      expect(migrate(db)).toBe(MIGRATIONS.length);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('runs in WAL mode', () => {
    const f = fresh();
    f.open();
    const db = new Database(f.file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('creates an account with its character, and finds it by any case of its name', () => {
    const s = fresh().open();
    const a = s.createAccount(input('ArMiTaGe', 'arkham_river_003'));
    expect(a).toMatchObject({ name: 'armitage', displayName: 'Armitage', role: 'player', lastLoginAt: null, bannedAt: null });
    expect(a.id).toMatch(/^p_[0-9a-f]+$/);
    expect(new Date(a.createdAt).toISOString()).toBe(a.createdAt);
    expect(s.findAccount('ARMITAGE')?.id).toBe(a.id);
    expect(s.findAccount('armitage')?.id).toBe(a.id);
    expect(s.findAccountById(a.id)?.name).toBe('armitage');
    expect(s.findAccount('wilmarth')).toBeUndefined();
    expect(s.getCharacter(a.id)).toEqual({ accountId: a.id, roomId: 'arkham_river_003', status: 'online' });
  });

  it('refuses a name that exists in another case with NameTakenError', () => {
    const s = fresh().open();
    s.createAccount(input('armitage'));
    expect(() => s.createAccount(input('ARMITAGE'))).toThrow(NameTakenError);
    expect(s.listAccounts()).toHaveLength(1);
  });

  it('keeps a saved room across a reopen, and a second reader sees it at once (no lost moves)', () => {
    const f = fresh();
    const s = f.open();
    const a = s.createAccount(input('armitage'));
    s.saveRoom(a.id, 'arkham_university_002');
    // Another connection while the first is still open: the write was committed when saveRoom returned.
    const reader = f.open();
    expect(reader.getCharacter(a.id)?.roomId).toBe('arkham_university_002');
    reader.close();
    s.close();
    const reopened = f.open();
    expect(reopened.getCharacter(a.id)?.roomId).toBe('arkham_university_002');
    reopened.saveCharacter({ accountId: a.id, roomId: 'arkham_river_001', status: 'away' });
    expect(reopened.getCharacter(a.id)).toEqual({ accountId: a.id, roomId: 'arkham_river_001', status: 'away' });
  });

  it('records logins, roles, password hashes and bans', () => {
    const s = fresh().open();
    const a = s.createAccount(input('armitage'));
    s.recordLogin(a.id);
    s.setRole(a.id, 'admin');
    s.setPasswordHash(a.id, 'other');
    s.setBan(a.id, 'cultist');
    let now = s.findAccountById(a.id)!;
    expect(now.lastLoginAt).not.toBeNull();
    expect(now).toMatchObject({ role: 'admin', passwordHash: 'other', banReason: 'cultist' });
    expect(now.bannedAt).not.toBeNull();
    s.setBan(a.id, null);
    now = s.findAccountById(a.id)!;
    expect(now.bannedAt).toBeNull();
    expect(now.banReason).toBeNull();
  });

  it('lists accounts by name', () => {
    const s = fresh().open();
    for (const n of ['wilmarth', 'armitage', 'Marsh']) s.createAccount(input(n));
    expect(s.listAccounts().map((a) => a.name)).toEqual(['armitage', 'marsh', 'wilmarth']);
  });

  it('knows no character for an unknown account', () => {
    const s = fresh().open();
    expect(s.getCharacter('p_nobody')).toBeUndefined();
    expect(s.findAccountById('p_nobody')).toBeUndefined();
  });
});

describe('WAL checkpoints in the background', () => {
  it('keeps the WAL from growing while the game connection never checkpoints itself', async () => {
    const { file } = fresh();
    const store = openSqliteStore(file, { backgroundCheckpoints: true, checkpointIntervalMs: 20 });
    stores.push(store);
    const a = store.createAccount(input('armitage'));
    const walBytes = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    // 20 rounds of 500 saves, a pause after each for the checkpoint thread. Without it (autocheckpoint
    // is off on the game connection) the WAL would hold every one of these 10,000 commits: 40 MB.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) store.saveRoom(a.id, i % 2 ? 'arkham_downtown_001' : 'arkham_downtown_002');
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(walBytes()).toBeLessThan(8 * 1024 * 1024);
    expect(store.getCharacter(a.id)?.roomId).toBe('arkham_downtown_001'); // the last save (i = 499)
  });
});
