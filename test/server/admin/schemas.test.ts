import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  BanBody,
  BroadcastBody,
  CreateAccountBody,
  KickBody,
  PasswordBody,
  RoleBody,
  ShutdownBody,
  describeIssues,
} from '../../../server/admin/schemas.js';

/** The 400 message the API would send for `body`, or null when it is valid. */
function problem(schema: z.ZodType, body: unknown): string | null {
  const r = schema.safeParse(body);
  return r.success ? null : describeIssues(r.error);
}

describe('admin request bodies', () => {
  it('kick and ban: a valid name and an optional one-line reason', () => {
    for (const schema of [KickBody, BanBody]) {
      expect(schema.parse({ name: 'armitage' })).toEqual({ name: 'armitage' });
      expect(schema.parse({ name: 'Armitage', reason: '  spamming  ' })).toEqual({ name: 'Armitage', reason: 'spamming' });
      expect(problem(schema, {})).toMatch(/^name: /);
      expect(problem(schema, { name: 'a' })).toBe('name: a name is 2 to 20 letters, A to Z, with no spaces or digits');
      expect(problem(schema, { name: 'robert;drop' })).toMatch(/^name: /);
      expect(problem(schema, { name: 42 })).toMatch(/^name: /);
      expect(problem(schema, { name: 'armitage', reason: 'line one\nline two' })).toMatch(/^reason: one line of text/);
      expect(problem(schema, { name: 'armitage', reason: 'x'.repeat(201) })).toMatch(/^reason: at most 200/);
      // A misspelt field is reported, not ignored.
      expect(problem(schema, { name: 'armitage', reasn: 'typo' })).toMatch(/reasn/);
    }
  });

  it('broadcast: one non-empty line of at most 1000 characters', () => {
    expect(BroadcastBody.parse({ message: ' The stars are right. ' })).toEqual({ message: 'The stars are right.' });
    expect(problem(BroadcastBody, { message: '   ' })).toBe('message: the message is empty');
    expect(problem(BroadcastBody, { message: 'x'.repeat(1001) })).toMatch(/^message: at most 1000/);
    expect(problem(BroadcastBody, { message: 'bell\u0007' })).toMatch(/control characters/);
    expect(problem(BroadcastBody, { message: '\u001b[2Jclear screen' })).toMatch(/control characters/);
    expect(problem(BroadcastBody, {})).toMatch(/^message: /);
    expect(problem(BroadcastBody, 'just a string')).toMatch(/^body: /);
    expect(problem(BroadcastBody, null)).toMatch(/^body: /);
  });

  it('accounts: name, password of 6 or more, role player or admin', () => {
    expect(CreateAccountBody.parse({ name: 'dyer', password: 'secret1' })).toEqual({ name: 'dyer', password: 'secret1' });
    expect(CreateAccountBody.parse({ name: 'dyer', password: 'secret1', role: 'admin' }).role).toBe('admin');
    expect(problem(CreateAccountBody, { name: 'dyer', password: 'short' })).toBe('password: a password has at least 6 characters');
    expect(problem(CreateAccountBody, { name: 'dyer', password: 'secret1', role: 'god' })).toMatch(/^role: /);
    expect(problem(CreateAccountBody, { password: 'secret1' })).toMatch(/^name: /);
    expect(problem(PasswordBody, { password: 'x' })).toMatch(/^password: /);
    expect(problem(PasswordBody, { password: 'x'.repeat(201) })).toMatch(/^password: /);
    expect(RoleBody.parse({ role: 'player' })).toEqual({ role: 'player' });
    expect(problem(RoleBody, { role: 'Admin' })).toMatch(/^role: /);
  });

  it('shutdown: grace_s is optional, whole seconds from 0 to 3600', () => {
    expect(ShutdownBody.parse({})).toEqual({});
    expect(ShutdownBody.parse({ grace_s: 0 })).toEqual({ grace_s: 0 });
    expect(ShutdownBody.parse({ grace_s: 3600 })).toEqual({ grace_s: 3600 });
    expect(problem(ShutdownBody, { grace_s: -1 })).toMatch(/^grace_s: /);
    expect(problem(ShutdownBody, { grace_s: 1.5 })).toBe('grace_s: whole seconds');
    expect(problem(ShutdownBody, { grace_s: 3601 })).toBe('grace_s: at most 3600 seconds');
    expect(problem(ShutdownBody, { grace_s: '10' })).toMatch(/^grace_s: /);
    expect(problem(ShutdownBody, { grace: 10 })).toMatch(/grace/);
  });

  it('lists every problem of a body in one line', () => {
    const message = problem(CreateAccountBody, { name: '1', password: '2', role: 'x' });
    expect(message).not.toContain('\n');
    expect(message?.split('; ').map((p) => p.split(':')[0])).toEqual(['name', 'password', 'role']);
  });
});
