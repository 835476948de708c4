/** Who may receive an award form (Law on Emulation and Commendation 2022: individuals, collectives, households). */
export const RECIPIENT_KINDS = ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];
export const RECIPIENT_KIND_NAMES: Record<RecipientKind, string> = {
  INDIVIDUAL: 'Cá nhân',
  COLLECTIVE: 'Tập thể',
  HOUSEHOLD: 'Hộ gia đình',
};

/** The level of the authority that grants a form. */
export const AUTHORITY_LEVELS = ['COMMUNE', 'PROVINCE', 'MINISTRY', 'GOVERNMENT'] as const;
export type AuthorityLevel = (typeof AUTHORITY_LEVELS)[number];
export const AUTHORITY_LEVEL_NAMES: Record<AuthorityLevel, string> = {
  COMMUNE: 'Cấp xã',
  PROVINCE: 'Cấp tỉnh',
  MINISTRY: 'Cấp bộ, ngành trung ương',
  GOVERNMENT: 'Chính phủ',
};

export interface ShippedForm {
  code: string;
  name: string;
  recipientKinds: RecipientKind[];
  authorityLevel: AuthorityLevel;
  signerTitle: string;
  /** Higher is a higher form: a proposal escalates to a form of higher rank at the next level. */
  rank: number;
}

/** The 2022 Law on Emulation and Commendation (06/2022/QH15) is in force from this day. */
export const LAW_2022_FROM = '2024-01-01';

/** The forms this movement awards, as the 2022 Law sets them (shipped effective from LAW_2022_FROM). */
export const SHIPPED_FORMS: ShippedForm[] = [
  {
    code: 'LAO_DONG_TIEN_TIEN',
    name: 'Danh hiệu "Lao động tiên tiến"',
    recipientKinds: ['INDIVIDUAL'],
    authorityLevel: 'COMMUNE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân xã, thủ trưởng cơ quan, đơn vị',
    rank: 10,
  },
  {
    code: 'TAP_THE_LAO_DONG_TIEN_TIEN',
    name: 'Danh hiệu "Tập thể lao động tiên tiến"',
    recipientKinds: ['COLLECTIVE'],
    authorityLevel: 'COMMUNE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân xã, thủ trưởng cơ quan, đơn vị',
    rank: 10,
  },
  {
    code: 'GIAY_KHEN_CHU_TICH_XA',
    name: 'Giấy khen của Chủ tịch Ủy ban nhân dân xã',
    recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
    authorityLevel: 'COMMUNE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân xã',
    rank: 20,
  },
  {
    code: 'GIAY_KHEN_THU_TRUONG',
    name: 'Giấy khen của Thủ trưởng cơ quan, đơn vị',
    recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
    authorityLevel: 'PROVINCE',
    signerTitle: 'Thủ trưởng cơ quan, đơn vị',
    rank: 20,
  },
  {
    code: 'CHIEN_SI_THI_DUA_CO_SO',
    name: 'Danh hiệu "Chiến sĩ thi đua cơ sở"',
    recipientKinds: ['INDIVIDUAL'],
    authorityLevel: 'COMMUNE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân xã, thủ trưởng cơ quan, đơn vị',
    rank: 25,
  },
  {
    code: 'TAP_THE_LAO_DONG_XUAT_SAC',
    name: 'Danh hiệu "Tập thể lao động xuất sắc"',
    recipientKinds: ['COLLECTIVE'],
    authorityLevel: 'PROVINCE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân tỉnh',
    rank: 30,
  },
  {
    code: 'BANG_KHEN_CHU_TICH_TINH',
    name: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
    recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
    authorityLevel: 'PROVINCE',
    signerTitle: 'Chủ tịch Ủy ban nhân dân tỉnh',
    rank: 40,
  },
  {
    code: 'BANG_KHEN_BO_TRUONG',
    name: 'Bằng khen của Bộ trưởng',
    recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
    authorityLevel: 'MINISTRY',
    signerTitle: 'Bộ trưởng Bộ Giáo dục và Đào tạo',
    rank: 50,
  },
  {
    code: 'BANG_KHEN_THU_TUONG',
    name: 'Bằng khen của Thủ tướng Chính phủ',
    recipientKinds: ['INDIVIDUAL', 'COLLECTIVE', 'HOUSEHOLD'],
    authorityLevel: 'GOVERNMENT',
    signerTitle: 'Thủ tướng Chính phủ',
    rank: 60,
  },
];
