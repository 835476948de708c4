/**
 * Default deadlines of a cycle, in the year after the assessed year (data covers the calendar
 * year; dossiers are filed and decided early the next year). From the procedures (domain.md §2):
 * - Learning Unit: dossier by 15 Jan, decision by 15 Feb;
 * - commune Learning Community: dossier by 28 Feb, decision by 31 Mar;
 * - district Learning Community: dossier by 30 Apr, decision by 31 May.
 * Our own choices where the procedures give no date:
 * - Learning Family, Clan, Citizen and village Learning Community (decided by the commune): the
 *   Learning Unit calendar, 15 Jan / 15 Feb, so the commune's results are known before its own
 *   Learning Community dossier (28 Feb), which counts them;
 * - province Learning Community: 30 Jun / 31 Jul, after the levels below it.
 */
const CALENDAR: Record<string, [string, string]> = {
  VILLAGE: ['01-15', '02-15'],
  COMMUNE: ['02-28', '03-31'],
  DISTRICT: ['04-30', '05-31'],
  PROVINCE: ['06-30', '07-31'],
};
const COMMUNE_DECIDED: [string, string] = ['01-15', '02-15'];

export function defaultDeadlines(
  year: number,
  title: string,
  subjectLevel: string,
): { submissionDeadline: string; decisionDeadline: string } {
  const [submission, decision] = title === 'LEARNING_COMMUNITY' ? (CALENDAR[subjectLevel] ?? COMMUNE_DECIDED) : COMMUNE_DECIDED;
  return { submissionDeadline: `${year + 1}-${submission}`, decisionDeadline: `${year + 1}-${decision}` };
}

/** Years of the movement "xây dựng xã hội học tập" 2023–2030 (Quyết định 387/QĐ-TTg); cycles are opened for these. */
export const FIRST_YEAR = 2023;
export const LAST_YEAR = 2030;
