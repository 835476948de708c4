import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, textArray } from '@xhht/infra';
import type { AuthorityLevel, RecipientKind } from './award-forms';

/** One version of an award form (table award_form_version); dates are ISO strings, valid_to null = open-ended. */
export interface AwardForm {
  id: string;
  code: string;
  name: string;
  recipientKinds: RecipientKind[];
  authorityLevel: AuthorityLevel;
  signerTitle: string;
  rank: number;
  validFrom: string;
  validTo: string | null;
  createdAt: Date;
  createdBy: string;
  closedAt: Date | null;
  closedBy: string | null;
}

export const FORM_COLUMNS = `v.id, v.code, v.name, v.recipient_kinds as "recipientKinds", v.authority_level as "authorityLevel",
  v.signer_title as "signerTitle", v.rank, v.valid_from::text as "validFrom", v.valid_to::text as "validTo",
  v.created_at as "createdAt", v.created_by as "createdBy", v.closed_at as "closedAt", v.closed_by as "closedBy"`;

const IN_FORCE = `v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)`;

/** Every form in force on `asOf`, highest rank first, then by code. */
export function formsInForce(em: EntityManager, asOf: string): Promise<AwardForm[]> {
  return rawQuery<AwardForm[]>(em, `select ${FORM_COLUMNS} from award_form_version v where ${IN_FORCE} order by v.rank desc, v.code`, [
    asOf,
    asOf,
  ]);
}

/** The versions of the given codes in force on `asOf`, by code (codes not in force are absent). */
export async function formsAt(em: EntityManager, codes: readonly string[], asOf: string): Promise<Map<string, AwardForm>> {
  if (codes.length === 0) return new Map();
  const rows = await rawQuery<AwardForm[]>(
    em,
    `select ${FORM_COLUMNS} from award_form_version v where v.code = any(?::text[]) and ${IN_FORCE}`,
    [textArray(codes), asOf, asOf],
  );
  return new Map(rows.map((r) => [r.code, r]));
}

/** Every version of each form, oldest first; every code of a batch in one statement. */
export const formVersionsLoader = (em: EntityManager) =>
  new DataLoader<string, AwardForm[]>(async (codes) => {
    const rows = await rawQuery<AwardForm[]>(
      em,
      `select ${FORM_COLUMNS} from award_form_version v where v.code = any(?::text[]) order by v.valid_from`,
      [textArray(codes)],
    );
    return codes.map((code) => rows.filter((r) => r.code === code));
  });

export const formKey = (code: string, asOf: string) => `${code}|${asOf}`;

/** The version of a form in force on a day, keyed formKey(code, asOf); every key of a batch in one statement. */
export const formAtLoader = (em: EntityManager) =>
  new DataLoader<string, AwardForm | null>(async (keys) => {
    const wanted = keys.map((k) => {
      const [code, asOf] = k.split('|');
      return { code, asOf };
    });
    const rows = await rawQuery<(AwardForm & { key: string })[]>(
      em,
      `select k.code || '|' || k."asOf" as key, ${FORM_COLUMNS}
       from jsonb_to_recordset(?::jsonb) as k(code text, "asOf" text)
       join award_form_version v on v.code = k.code and v.valid_from <= k."asOf"::date and (v.valid_to is null or v.valid_to >= k."asOf"::date)`,
      [JSON.stringify(wanted)],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
