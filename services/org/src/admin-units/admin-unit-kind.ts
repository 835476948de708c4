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

/** The legal type of a unit within its level, with the Vietnamese name used as the name's prefix. */
export const ADMIN_UNIT_SUBTYPES = {
  NATION: { kind: 'NATION', name: 'Quốc gia' },
  PROVINCE: { kind: 'PROVINCE', name: 'Tỉnh' },
  MUNICIPALITY: { kind: 'PROVINCE', name: 'Thành phố trực thuộc Trung ương' },
  RURAL_DISTRICT: { kind: 'DISTRICT', name: 'Huyện' },
  URBAN_DISTRICT: { kind: 'DISTRICT', name: 'Quận' },
  TOWN: { kind: 'DISTRICT', name: 'Thị xã' },
  PROVINCIAL_CITY: { kind: 'DISTRICT', name: 'Thành phố thuộc tỉnh' },
  MUNICIPAL_CITY: { kind: 'DISTRICT', name: 'Thành phố thuộc thành phố trực thuộc Trung ương' },
  COMMUNE: { kind: 'COMMUNE', name: 'Xã' },
  WARD: { kind: 'COMMUNE', name: 'Phường' },
  TOWNSHIP: { kind: 'COMMUNE', name: 'Thị trấn' },
  SPECIAL_ZONE: { kind: 'COMMUNE', name: 'Đặc khu' },
  VILLAGE_THON: { kind: 'VILLAGE', name: 'Thôn' },
  VILLAGE_BAN: { kind: 'VILLAGE', name: 'Bản' },
  VILLAGE_AP: { kind: 'VILLAGE', name: 'Ấp' },
  RESIDENTIAL_GROUP: { kind: 'VILLAGE', name: 'Tổ dân phố' },
  RESIDENTIAL_QUARTER: { kind: 'VILLAGE', name: 'Khu phố' },
} as const satisfies Record<string, { kind: AdminUnitKind; name: string }>;
export type AdminUnitSubtype = keyof typeof ADMIN_UNIT_SUBTYPES;
export const ADMIN_UNIT_SUBTYPE_KEYS = Object.keys(ADMIN_UNIT_SUBTYPES) as AdminUnitSubtype[];

/** The subtype a kind gets when none is given. */
export const DEFAULT_SUBTYPE: Record<AdminUnitKind, AdminUnitSubtype> = {
  NATION: 'NATION',
  PROVINCE: 'PROVINCE',
  DISTRICT: 'RURAL_DISTRICT',
  COMMUNE: 'COMMUNE',
  VILLAGE: 'VILLAGE_THON',
};

/**
 * Reads the subtype from an official name's prefix ("Phường Đông Kinh" → WARD), longest prefix
 * first so "Thành phố thuộc tỉnh" does not read as "Thành phố". Undefined when no prefix matches.
 */
export function subtypeFromName(name: string, kind: AdminUnitKind): AdminUnitSubtype | undefined {
  const byPrefix: [string, AdminUnitSubtype][] = (
    {
      NATION: [],
      PROVINCE: [
        ['Thành phố', 'MUNICIPALITY'],
        ['Tỉnh', 'PROVINCE'],
      ],
      DISTRICT: [
        ['Thành phố', 'PROVINCIAL_CITY'],
        ['Thị xã', 'TOWN'],
        ['Quận', 'URBAN_DISTRICT'],
        ['Huyện', 'RURAL_DISTRICT'],
      ],
      COMMUNE: [
        ['Thị trấn', 'TOWNSHIP'],
        ['Phường', 'WARD'],
        ['Đặc khu', 'SPECIAL_ZONE'],
        ['Xã', 'COMMUNE'],
      ],
      VILLAGE: [
        ['Tổ dân phố', 'RESIDENTIAL_GROUP'],
        ['Khu phố', 'RESIDENTIAL_QUARTER'],
        ['Thôn', 'VILLAGE_THON'],
        ['Bản', 'VILLAGE_BAN'],
        ['Ấp', 'VILLAGE_AP'],
      ],
    } satisfies Record<AdminUnitKind, [string, AdminUnitSubtype][]>
  )[kind];
  const n = name.normalize('NFC').trim();
  return byPrefix.find(([prefix]) => n.toLocaleLowerCase('vi').startsWith(prefix.toLocaleLowerCase('vi') + ' '))?.[1];
}
