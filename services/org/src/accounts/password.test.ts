import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('salts every hash, verifies the right password and refuses others', async () => {
    const a = await hashPassword('mật khẩu đủ dài');
    const b = await hashPassword('mật khẩu đủ dài');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('mật khẩu đủ dài', a)).toBe(true);
    // the same text typed in decomposed Unicode (as some keyboards send Vietnamese) still matches
    expect(await verifyPassword('mật khẩu đủ dài'.normalize('NFD'), a)).toBe(true);
    expect(await verifyPassword('mật khẩu đủ dàI', a)).toBe(false);
    expect(await verifyPassword('mật khẩu đủ dài', 'not-a-hash')).toBe(false);
  });
});
