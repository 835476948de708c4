export const ADMIN_UNIT_KINDS = ['NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE', 'VILLAGE'] as const;
export type AdminUnitKind = (typeof ADMIN_UNIT_KINDS)[number];

export const ADMIN_UNIT_KIND_NAMES: Record<AdminUnitKind, string> = {
  NATION: 'Quốc gia',
  PROVINCE: 'Tỉnh, thành phố trực thuộc Trung ương',
  DISTRICT: 'Huyện, quận, thị xã, thành phố thuộc tỉnh',
  COMMUNE: 'Xã, phường, đặc khu',
  VILLAGE: 'Thôn, bản, ấp, tổ dân phố, khu phố',
};

/** Depth in the hierarchy; a child's kind must be deeper than its parent's. */
export const kindDepth = (kind: AdminUnitKind): number => ADMIN_UNIT_KINDS.indexOf(kind);
