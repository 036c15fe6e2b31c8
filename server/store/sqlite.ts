// The SQLite store (better-sqlite3, WAL). Writes are synchronous and committed before the call
// returns, so a move a player saw acknowledged survives `kill -9` of the server.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { PlayerSettings, type Role, type Status } from '../../shared/protocol.js';
import { startCheckpointer } from './checkpointer.js';
import { migrate } from './migrations.js';
import { NameTakenError, type Account, type Character, type Store } from './repository.js';

interface AccountRow {
  id: string;
  name: string;
  display_name: string;
  password_hash: string;
  role: Role;
  created_at: string;
  last_login_at: string | null;
  banned_at: string | null;
  ban_reason: string | null;
  settings: string;
}

/** Unknown or damaged settings read as the defaults, field by field (PlayerSettings' catch). */
function readSettings(json: string): PlayerSettings {
  let value: unknown = {};
  try {
    value = JSON.parse(json);
  } catch {
    // a damaged row: the defaults
  }
  return PlayerSettings.parse(typeof value === 'object' && value !== null ? value : {});
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  role: r.role,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
  bannedAt: r.banned_at,
  banReason: r.ban_reason,
  settings: readSettings(r.settings),
});

export interface SqliteOptions {
  /** Run WAL checkpoints in a worker thread (checkpointer.ts) rather than inside our commits. */
  backgroundCheckpoints?: boolean;
  /** How often the background thread checkpoints (default 1 s). */
  checkpointIntervalMs?: number;
  onError?: (err: unknown) => void;
}

export function openSqliteStore(file: string, options: SqliteOptions = {}): Store {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit is in the WAL (the OS holds it) when the call returns, so a killed
  // process loses nothing; only a power cut could lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const checkpointer = options.backgroundCheckpoints ? startCheckpointer(db, file, options.onError ?? (() => {}), options.checkpointIntervalMs) : null;

  const q = {
    byName: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name = ?'),
    byId: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?'),
    all: db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY name'),
    insertAccount: db.prepare(
      'INSERT INTO accounts (id, name, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertCharacter: db.prepare('INSERT INTO characters (account_id, room_id, status) VALUES (?, ?, ?)'),
    login: db.prepare('UPDATE accounts SET last_login_at = ? WHERE id = ?'),
    password: db.prepare('UPDATE accounts SET password_hash = ? WHERE id = ?'),
    role: db.prepare('UPDATE accounts SET role = ? WHERE id = ?'),
    ban: db.prepare('UPDATE accounts SET banned_at = ?, ban_reason = ? WHERE id = ?'),
    settings: db.prepare('UPDATE accounts SET settings = ? WHERE id = ?'),
    character: db.prepare<[string], { account_id: string; room_id: string; status: Status }>(
      'SELECT * FROM characters WHERE account_id = ?',
    ),
    saveRoom: db.prepare('UPDATE characters SET room_id = ? WHERE account_id = ?'),
    saveCharacter: db.prepare('UPDATE characters SET room_id = ?, status = ? WHERE account_id = ?'),
  };

  const createAccount = db.transaction(
    (input: { name: string; passwordHash: string; role: Role; roomId: string }): Account => {
      const name = input.name.toLowerCase();
      if (q.byName.get(name)) throw new NameTakenError(name);
      const id = `p_${randomBytes(6).toString('hex')}`;
      const display = name.charAt(0).toUpperCase() + name.slice(1);
      q.insertAccount.run(id, name, display, input.passwordHash, input.role, new Date().toISOString());
      q.insertCharacter.run(id, input.roomId, 'online');
      return toAccount(q.byId.get(id)!);
    },
  );

  return {
    findAccount: (name) => {
      const row = q.byName.get(name.toLowerCase());
      return row ? toAccount(row) : undefined;
    },
    findAccountById: (id) => {
      const row = q.byId.get(id);
      return row ? toAccount(row) : undefined;
    },
    createAccount: (input) => createAccount(input),
    listAccounts: () => q.all.all().map(toAccount),
    recordLogin: (id) => void q.login.run(new Date().toISOString(), id),
    setPasswordHash: (id, hash) => void q.password.run(hash, id),
    setRole: (id, role) => void q.role.run(role, id),
    setBan: (id, reason) =>
      void (reason === null ? q.ban.run(null, null, id) : q.ban.run(new Date().toISOString(), reason, id)),
    setSettings: (id, settings) => void q.settings.run(JSON.stringify(settings), id),
    getCharacter: (id): Character | undefined => {
      const row = q.character.get(id);
      return row ? { accountId: row.account_id, roomId: row.room_id, status: row.status } : undefined;
    },
    saveRoom: (id, roomId) => void q.saveRoom.run(roomId, id),
    saveCharacter: (c) => void q.saveCharacter.run(c.roomId, c.status, c.accountId),
    close: () => {
      checkpointer?.stop();
      db.close();
    },
  };
}
