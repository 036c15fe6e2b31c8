import { afterAll, describe, expect, it } from 'vitest';
import { Passwords } from '../../../server/core/password.js';

const passwords = new Passwords();
afterAll(() => passwords.close());
const hashPassword = (pw: string) => passwords.hash(pw);
const verifyPassword = (pw: string, stored: string) => passwords.verify(pw, stored);

describe('password hashing (async scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('necronomicon');
    expect(await verifyPassword('necronomicon', hash)).toBe(true);
    expect(await verifyPassword('Necronomicon', hash)).toBe(false);
    expect(await verifyPassword('necronomico', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('stores a salted hash, never the password', async () => {
    const a = await hashPassword('necronomicon');
    const b = await hashPassword('necronomicon');
    expect(a).not.toContain('necronomicon');
    expect(a).not.toContain(Buffer.from('necronomicon').toString('base64'));
    expect(a).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(await verifyPassword('necronomicon', b)).toBe(true);
  });

  it('treats a stored value that is not a hash it knows as a wrong password, never a crash', async () => {
    for (const stored of ['', 'necronomicon', 'bcrypt$x', 'scrypt$16384$8$1$$', 'scrypt$abc$8$1$c2FsdA==$aGFzaA==', 'scrypt$3$8$1$c2FsdA==$aGFzaA==']) {
      expect(await verifyPassword('necronomicon', stored), stored).toBe(false);
    }
  });
});
