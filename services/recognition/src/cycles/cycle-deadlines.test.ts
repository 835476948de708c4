import { defaultDeadlines } from './cycle-deadlines';

describe('default cycle deadlines', () => {
  it('follow the procedures, in the year after the assessed year', () => {
    expect(defaultDeadlines(2025, 'LEARNING_UNIT', 'ORGANIZATION')).toEqual({
      submissionDeadline: '2026-01-15',
      decisionDeadline: '2026-02-15',
    });
    expect(defaultDeadlines(2025, 'LEARNING_COMMUNITY', 'COMMUNE')).toEqual({
      submissionDeadline: '2026-02-28',
      decisionDeadline: '2026-03-31',
    });
    expect(defaultDeadlines(2023, 'LEARNING_COMMUNITY', 'DISTRICT')).toEqual({
      submissionDeadline: '2024-04-30',
      decisionDeadline: '2024-05-31',
    });
    expect(defaultDeadlines(2026, 'LEARNING_COMMUNITY', 'PROVINCE')).toEqual({
      submissionDeadline: '2027-06-30',
      decisionDeadline: '2027-07-31',
    });
  });

  it('commune-decided titles use the early-year calendar', () => {
    for (const [title, level] of [
      ['LEARNING_FAMILY', 'HOUSEHOLD'],
      ['LEARNING_CLAN', 'CLAN'],
      ['LEARNING_CITIZEN', 'PERSON'],
      ['LEARNING_COMMUNITY', 'VILLAGE'],
    ] as const) {
      expect(defaultDeadlines(2026, title, level)).toEqual({ submissionDeadline: '2027-01-15', decisionDeadline: '2027-02-15' });
    }
  });
});
