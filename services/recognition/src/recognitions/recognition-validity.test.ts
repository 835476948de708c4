import { expirySweepMs } from './expiry';
import { effectiveStatus, isValidOn, type Recognition } from './recognition.repository';

const recognition = (over: Partial<Recognition>): Recognition => ({
  id: 'r',
  decisionId: 'd',
  assessmentId: 'a',
  subjectKind: 'HOUSEHOLD',
  subjectId: 's',
  subjectUnitId: 'u',
  title: 'LEARNING_FAMILY',
  level: 'ACHIEVED',
  year: 2025,
  validFrom: '2026-01-10',
  validTo: '2029-01-09',
  storedStatus: 'ACTIVE',
  revokedReason: null,
  revokedBy: null,
  revokedAt: null,
  expiredAt: null,
  createdAt: '2026-01-10T03:00:00Z',
  createdBy: 'x',
  ...over,
});

describe('whether a recognition counts', () => {
  it('counts from its first to its last valid day, inclusive', () => {
    const r = recognition({});
    expect(isValidOn(r, '2026-01-09')).toBe(false);
    expect(isValidOn(r, '2026-01-10')).toBe(true);
    expect(isValidOn(r, '2029-01-09')).toBe(true);
    expect(isValidOn(r, '2029-01-10')).toBe(false);
  });

  it('is expired the day after its last, before the sweeper has marked it', () => {
    expect(effectiveStatus(recognition({}), '2029-01-09')).toBe('ACTIVE');
    expect(effectiveStatus(recognition({}), '2029-01-10')).toBe('EXPIRED');
    expect(effectiveStatus(recognition({ storedStatus: 'EXPIRED' }), '2028-01-01')).toBe('EXPIRED');
  });

  it('never counts once revoked', () => {
    const r = recognition({ storedStatus: 'REVOKED', revokedAt: '2026-03-01T00:00:00Z' });
    expect(isValidOn(r, '2026-06-01')).toBe(false);
    expect(effectiveStatus(r, '2030-01-01')).toBe('REVOKED');
  });
});

describe('the expiry sweep interval', () => {
  it('defaults to hourly and refuses nonsense', () => {
    expect(expirySweepMs({})).toBe(3_600_000);
    expect(expirySweepMs({ RECOGNITION_EXPIRY_SWEEP_MS: '60000' })).toBe(60_000);
    expect(() => expirySweepMs({ RECOGNITION_EXPIRY_SWEEP_MS: '10' })).toThrow(/RECOGNITION_EXPIRY_SWEEP_MS/);
    expect(() => expirySweepMs({ RECOGNITION_EXPIRY_SWEEP_MS: 'soon' })).toThrow(/RECOGNITION_EXPIRY_SWEEP_MS/);
  });
});
