import { foldVietnamese } from '@xhht/infra';

/** A header or a value reduced to lower-case ASCII words: "Mã  thôn" → "ma thon", "village_code" → "village code". */
export const normalizeLabel = (s: string): string =>
  foldVietnamese(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

export interface ColumnSpec<F extends string> {
  field: F;
  required: boolean;
  /** Accepted headers, Vietnamese and English; compared after normalizeLabel. */
  aliases: string[];
  /** How the column is named in messages. */
  label: string;
}

export interface ColumnMap<F extends string> {
  index: Record<F, number>;
  /** The header as written in the file, per field (for the error report). */
  header: Record<F, string>;
  ignored: string[];
}

export class HeaderError extends Error {}

/** Matches the file's header line to the fields of a kind, case- and diacritic-insensitively. */
export function mapColumns<F extends string>(specs: ColumnSpec<F>[], headers: string[]): ColumnMap<F> {
  const index = {} as Record<F, number>;
  const header = {} as Record<F, string>;
  const ignored: string[] = [];
  const normalized = headers.map(normalizeLabel);
  const taken = new Set<number>();
  for (const spec of specs) {
    const aliases = spec.aliases.map(normalizeLabel);
    // the first alias that matches wins, so "mã hộ" is the household code even when "mã" is also accepted
    let found = -1;
    for (const alias of aliases) {
      found = normalized.findIndex((h, i) => h === alias && !taken.has(i));
      if (found >= 0) break;
    }
    index[spec.field] = found;
    header[spec.field] = found >= 0 ? headers[found]!.trim() : spec.label;
    if (found >= 0) taken.add(found);
  }
  const missing = specs.filter((s) => s.required && index[s.field] < 0);
  if (missing.length > 0) {
    const expected = missing.map((s) => `"${s.label}" (${s.aliases.slice(0, 3).join(' / ')})`).join(', ');
    throw new HeaderError(`Thiếu cột bắt buộc: ${expected}. Dòng tiêu đề của tệp: ${headers.join(' | ')}`);
  }
  headers.forEach((h, i) => {
    if (!taken.has(i) && h.trim() !== '') ignored.push(h.trim());
  });
  return { index, header, ignored };
}

/** Enum values accepted from Vietnamese display names or the English enum names. */
export function enumReader<E extends string>(values: Record<E, string[]>): (raw: string) => E | undefined {
  const lookup = new Map<string, E>();
  for (const [value, names] of Object.entries(values) as [E, string[]][]) {
    lookup.set(normalizeLabel(value), value);
    for (const name of names) lookup.set(normalizeLabel(name), value);
  }
  return (raw) => lookup.get(normalizeLabel(raw));
}

export const readSex = enumReader<'FEMALE' | 'MALE'>({
  MALE: ['Nam', 'male', 'M'],
  FEMALE: ['Nữ', 'female', 'F'],
});

export const readOccupationalGroup = enumReader<'FARMER' | 'WORKER' | 'OFFICIAL' | 'TEACHER' | 'STUDENT' | 'OTHER'>({
  FARMER: ['Nông dân'],
  WORKER: ['Công nhân'],
  OFFICIAL: ['Cán bộ, công chức, viên chức', 'Cán bộ công chức viên chức', 'CBCCVC', 'Cán bộ', 'Công chức', 'Viên chức'],
  TEACHER: ['Giáo viên'],
  STUDENT: ['Học sinh, sinh viên', 'Học sinh sinh viên', 'Học sinh', 'Sinh viên'],
  OTHER: ['Khác'],
});

export type OrganizationType =
  | 'STATE_AGENCY'
  | 'STATE_AGENCY_OFFICE'
  | 'FATHERLAND_FRONT'
  | 'SOCIO_POLITICAL'
  | 'STUDY_PROMOTION_ASSOCIATION'
  | 'ENTERPRISE'
  | 'COOPERATIVE'
  | 'SCHOOL'
  | 'COMMUNITY_LEARNING_CENTRE'
  | 'LIBRARY'
  | 'CULTURE_HOUSE'
  | 'OTHER';

export const readOrganizationType = enumReader<OrganizationType>({
  STATE_AGENCY: ['Cơ quan nhà nước', 'Cơ quan hành chính nhà nước', 'Cơ quan, đơn vị nhà nước'],
  STATE_AGENCY_OFFICE: ['Phòng, ban trực thuộc', 'Phòng ban trực thuộc', 'Đơn vị trực thuộc', 'Phòng', 'Ban'],
  FATHERLAND_FRONT: ['Mặt trận Tổ quốc', 'Ủy ban Mặt trận Tổ quốc', 'Uỷ ban Mặt trận Tổ quốc', 'MTTQ'],
  SOCIO_POLITICAL: ['Tổ chức chính trị - xã hội', 'Tổ chức chính trị xã hội', 'Đoàn thể'],
  STUDY_PROMOTION_ASSOCIATION: ['Hội Khuyến học', 'Chi hội Khuyến học', 'Hội Khuyến học (chi hội)'],
  ENTERPRISE: ['Doanh nghiệp'],
  COOPERATIVE: ['Hợp tác xã'],
  SCHOOL: ['Trường học', 'Trường', 'Cơ sở giáo dục'],
  COMMUNITY_LEARNING_CENTRE: ['Trung tâm học tập cộng đồng', 'TTHTCĐ'],
  LIBRARY: ['Thư viện'],
  CULTURE_HOUSE: ['Nhà văn hóa', 'Nhà văn hoá'],
  OTHER: ['Khác'],
});
