import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, REPLICA_HIERARCHY_TABLES, subtreesWithHistorySql, uuidArray } from '@xhht/infra';
import type { Indicator } from '../plans/indicators';

/**
 * The plan indicators (plans/indicators.ts) the read models count so far; the Learning Citizen
 * rates among workers and among staff need workplaces and titles joined, and come later.
 */
export const COUNTED_INDICATORS = [
  'LEARNING_FAMILY_RATE',
  'LEARNING_CLAN_RATE',
  'LEARNING_COMMUNITY_RATE',
  'LEARNING_UNIT_RATE',
  'LEARNING_CITIZEN_RATE_ADULTS',
] as const satisfies readonly Indicator[];
type CountedIndicator = (typeof COUNTED_INDICATORS)[number];

export interface IndicatorCount {
  unitId: string;
  indicator: CountedIndicator;
  numerator: number;
  denominator: number;
}

/** Age from which a person counts among the adults of the Learning Citizen rate. */
export const ADULT_AGE = 18;

/**
 * For each unit and each indicator, how many subjects in the unit and below it hold a valid title
 * for `year` (numerator) out of how many there are (denominator), on `asOf` (an ISO date):
 *
 * - LEARNING_FAMILY_RATE: households holding LEARNING_FAMILY ÷ households;
 * - LEARNING_CLAN_RATE: clans (by home commune) holding LEARNING_CLAN ÷ clans;
 * - LEARNING_COMMUNITY_RATE: villages existing on `asOf` holding LEARNING_COMMUNITY ÷ villages;
 * - LEARNING_UNIT_RATE: organizations holding LEARNING_UNIT ÷ organizations;
 * - LEARNING_CITIZEN_RATE_ADULTS: adults (born in `year` − 18 or before) holding LEARNING_CITIZEN ÷ adults.
 *
 * A title counts when its recognition is for `year`, is not revoked, and its validity period covers
 * `asOf` (an expired one still counts for a day it was valid). Units below are taken on `asOf`
 * with everything merged into them before that day, so every subject is counted once in the unit's
 * own figures: a parent's numerator and denominator are the sums over its children, never an
 * average of their rates. Every unit asked for gets a row per indicator, with zeros when empty.
 */
export async function indicatorCounts(
  em: EntityManager,
  unitIds: readonly string[],
  year: number,
  asOf: string,
): Promise<IndicatorCount[]> {
  if (unitIds.length === 0) return [];
  const rows = await rawQuery<{ unit_id: string; indicator: CountedIndicator; numerator: number; denominator: number }[]>(
    em,
    `with sub as (${subtreesWithHistorySql(REPLICA_HIERARCHY_TABLES)}),
     valid as (
       select distinct subject_id, title from recognition_fact
       where year = ? and status <> 'REVOKED' and valid_from <= ?::date and valid_to >= ?::date
     ),
     kinds(kind, title, indicator) as (values
       ('HOUSEHOLD', 'LEARNING_FAMILY', 'LEARNING_FAMILY_RATE'),
       ('CLAN', 'LEARNING_CLAN', 'LEARNING_CLAN_RATE'),
       ('ORGANIZATION', 'LEARNING_UNIT', 'LEARNING_UNIT_RATE'),
       ('PERSON', 'LEARNING_CITIZEN', 'LEARNING_CITIZEN_RATE_ADULTS')
     ),
     participants as (
       select s.root, k.indicator, count(*)::int as denominator, count(v.subject_id)::int as numerator
       from sub s
       join participant_replica p on p.unit_id = s.id
       join kinds k on k.kind = p.kind
       left join valid v on v.subject_id = p.id and v.title = k.title
       where p.kind <> 'PERSON' or p.birth_year <= ?
       group by s.root, k.indicator
     ),
     villages as (
       select s.root, 'LEARNING_COMMUNITY_RATE'::text as indicator, count(*)::int as denominator, count(v.subject_id)::int as numerator
       from sub s
       join admin_unit_version_replica u on u.unit_id = s.id and u.kind = 'VILLAGE'
         and u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date)
       left join valid v on v.subject_id = s.id and v.title = 'LEARNING_COMMUNITY'
       group by s.root
     ),
     counted as (select * from participants union all select * from villages)
     select r.id as unit_id, i.indicator, coalesce(c.numerator, 0) as numerator, coalesce(c.denominator, 0) as denominator
     from unnest(?::uuid[]) as r(id)
     cross join unnest(?::text[]) as i(indicator)
     left join counted c on c.root = r.id and c.indicator = i.indicator
     order by r.id, i.indicator`,
    [
      uuidArray([...unitIds]),
      asOf,
      year,
      asOf,
      asOf,
      year - ADULT_AGE,
      asOf,
      asOf,
      uuidArray([...new Set(unitIds)]),
      `{${COUNTED_INDICATORS.join(',')}}`,
    ],
  );
  return rows.map((r) => ({ unitId: r.unit_id, indicator: r.indicator, numerator: r.numerator, denominator: r.denominator }));
}
