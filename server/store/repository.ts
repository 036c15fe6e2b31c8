// What the rest of the server may ask of storage. Only server/store talks SQL; a second store
// (PostgreSQL) implements this same interface without touching the core.
import type { PlayerSettings, Role, Status } from '../../shared/protocol.js';

export interface Account {
  id: string;
  /** Lower-case; the key. */
  name: string;
  /** As shown: `Armitage`. */
  displayName: string;
  passwordHash: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
  bannedAt: string | null;
  banReason: string | null;
  settings: PlayerSettings;
}

export interface Character {
  accountId: string;
  roomId: string;
  status: Status;
}

export interface Store {
  findAccount(name: string): Account | undefined;
  findAccountById(id: string): Account | undefined;
  /** Throws NameTakenError when the name exists (case-insensitive). */
  createAccount(input: { name: string; passwordHash: string; role: Role; roomId: string }): Account;
  listAccounts(): Account[];
  recordLogin(accountId: string): void;
  setPasswordHash(accountId: string, hash: string): void;
  setRole(accountId: string, role: Role): void;
  setBan(accountId: string, reason: string | null): void;
  setSettings(accountId: string, settings: PlayerSettings): void;
  getCharacter(accountId: string): Character | undefined;
  saveRoom(accountId: string, roomId: string): void;
  saveCharacter(character: Character): void;
  close(): void;
}

export class NameTakenError extends Error {
  constructor(name: string) {
    super(`the name ${name} is taken`);
  }
}
