import { AuthContext } from './auth-context';
import { InvalidTokenError, signUserToken, verifyUserToken } from './tokens';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

describe('user tokens', () => {
  it('carry the person of a CITIZEN grant, which AuthContext lists as personIds', async () => {
    const personId = '7d1f3c0e-9a4b-4c1e-8f2d-0b6a5e4d3c21';
    const token = await signUserToken(
      {
        subject: 'citizen-1',
        roles: [
          { role: 'CITIZEN', personId },
          { role: 'COMMUNE_OFFICER', unitId: 'u-1' },
        ],
      },
      SECRET,
    );
    const principal = await verifyUserToken(token, SECRET);
    expect(principal.roles).toEqual([
      { role: 'CITIZEN', personId },
      { role: 'COMMUNE_OFFICER', unitId: 'u-1' },
    ]);
    const auth = new AuthContext(principal);
    expect(auth.personIds).toEqual([personId]);
    expect(new AuthContext({ subject: 'officer', roles: [{ role: 'COMMUNE_OFFICER', unitId: 'u-1' }] }).personIds).toEqual([]);
    // a person on another role does not make its holder that citizen
    expect(new AuthContext({ subject: 'x', roles: [{ role: 'PARTNER', personId }] }).personIds).toEqual([]);
  });

  it('refuse claims with unknown grant fields', async () => {
    const { SignJWT } = await import('jose');
    const forged = await new SignJWT({ roles: [{ role: 'CITIZEN', personId: 'p', household: 'h' }] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('xhht')
      .setAudience('xhht-graph')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyUserToken(forged, SECRET)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
