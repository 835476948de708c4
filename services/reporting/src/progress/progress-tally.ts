import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray } from '@xhht/infra';
import { lockUnitsForCount, ROLLUP_ADD, ROLLUP_DROP_EMPTY } from './progress-rollup';

/**
 * Progress is counted ahead of time, in two tables built from the read models:
 *
 * - `progress_tally`: per unit where subjects are placed (a household's village or commune, an
 *   organization's unit, a village or commune itself for the Learning Community titles), per year and
 *   measure, how many subjects count in the numerator and in the denominator during [since, until).
 *   Titles begin and end on dates (granted, revoked, a validity shorter than the year), so one subject
 *   contributes to rows with those dates and a figure as of any day is a sum over the rows covering it.
 * - `progress_rollup`: the same rows summed over each unit's subtree in today's tree (with the units
 *   merged into it), so a province's figures are one indexed read instead of a walk over its communes.
 *
 * Both are recomputed from the read models for the units an event touches (never adjusted by
 * deltas), in the consumer's transaction: a redelivered or reordered event leaves the same rows.
 */
class Migration20261206100000ProgressTally extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table recognition_fact
      add column counts_from date null,
      add column counts_until date null`);
    this.addSql(`create index recognition_fact_counting_idx on recognition_fact (subject_id, title, year)
      include (counts_from, counts_until, level)`);
    this.addSql('create index participant_replica_household_idx on participant_replica (household_id) where household_id is not null');
    this.addSql('create index participant_replica_workplace_idx on participant_replica (workplace_id) where workplace_id is not null');
    for (const table of ['progress_tally', 'progress_rollup']) {
      this.addSql(`create table ${table} (
        unit_id uuid not null,
        year int not null,
        measure text not null,
        since date not null,
        until date not null,
        numerator int not null,
        denominator int not null${table === 'progress_rollup' ? ',\n        tree_date date not null' : ''}
      )`);
      this.addSql(`create index ${table}_unit_idx on ${table} (unit_id, year)`);
    }
    this.addSql('create index progress_rollup_tree_date_idx on progress_rollup (tree_date)');
    this.addSql('create index admin_unit_version_replica_dates_idx on admin_unit_version_replica (valid_from, valid_to)');
  }
  override async down(): Promise<void> {
    this.addSql('drop index if exists admin_unit_version_replica_dates_idx');
    this.addSql('drop table if exists progress_rollup');
    this.addSql('drop table if exists progress_tally');
    this.addSql('drop index if exists participant_replica_workplace_idx');
    this.addSql('drop index if exists participant_replica_household_idx');
    this.addSql('drop index if exists recognition_fact_counting_idx');
    this.addSql('alter table recognition_fact drop column counts_from, drop column counts_until');
  }
}

export const progressTallyMigrations: MigrationObject[] = [
  { name: 'Migration20261206100000ProgressTally', class: Migration20261206100000ProgressTally },
];

/** The years every unit has rows for: the movement's period (2023–2030); other years are added when titles name them. */
export const MOVEMENT_YEARS = { first: 2023, last: 2030 } as const;

/** Age from which a person counts among the adults of the Learning Citizen rates. */
export const ADULT_AGE = 18;

/**
 * When a recognition counts for its year, stored on the fact: from its first valid day until the day
 * it is revoked, or the day after its validity when that ends before its year does (a title for a year
 * counts for that year's figures after it expires later). Called after every change to the facts.
 */
export async function refreshFactCounting(em: EntityManager, recognitionIds: readonly string[]): Promise<void> {
  if (recognitionIds.length === 0) return;
  await rawQuery(
    em,
    `update recognition_fact set
       counts_from = valid_from,
       counts_until = least(
         case when status = 'REVOKED' then (source_time at time zone 'Asia/Ho_Chi_Minh')::date else 'infinity'::date end,
         case when valid_to is not null and valid_to < make_date(year, 12, 31) then valid_to + 1 else 'infinity'::date end)
     where recognition_id = any(?::uuid[])`,
    [uuidArray(recognitionIds)],
  );
}

/**
 * The units whose tallies depend on these subjects: where they are placed, and where the people
 * counted through them are (members of a household, of a clan's households, of a village; staff are
 * counted at their workplace's unit, which is the organization's own).
 */
export async function unitsCountingSubjects(em: EntityManager, subjectIds: readonly string[]): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  const ids = uuidArray([...new Set(subjectIds)]);
  // each branch an index lookup from the ids (any(array) keeps the planner off whole-table joins)
  const rows = await rawQuery<{ id: string }[]>(
    em,
    `select p.unit_id as id from participant_replica p where p.id = any(?::uuid[])
     union select w.unit_id from participant_replica p join participant_replica w on w.id = p.workplace_id where p.id = any(?::uuid[])
     union select p.unit_id from participant_replica p where p.household_id = any(?::uuid[])
     union select p.unit_id from clan_household_replica ch join participant_replica p on p.household_id = ch.household_id
       where ch.clan_id = any(?::uuid[])
     union select p.unit_id from clan_household_replica ch join clan_household_replica other on other.clan_id = ch.clan_id
       join participant_replica p on p.household_id = other.household_id where ch.household_id = any(?::uuid[])
     union select u.id from admin_unit_replica u where u.id = any(?::uuid[])
     union select p.unit_id from participant_replica h join participant_replica p on p.household_id = h.id
       where h.unit_id = any(?::uuid[]) and h.kind = 'HOUSEHOLD'`,
    Array.from({ length: 7 }, () => ids),
  );
  return rows.map((r) => r.id);
}

/** A title held during [since, until), per subject, title and year. */
const TITLE = `select subject_id, title, year, max(level) as level, min(counts_from) as since, max(counts_until) as until
  from recognition_fact where counts_from is not null and counts_from < counts_until`;

/**
 * Recomputes the tallies of the given units from the read models. Measures:
 * - the plan indicators (indicators.ts): households, clans, organizations and adults holding their
 *   title; villages holding Learning Community (a village counts while it is one);
 * - LEARNING_CITIZEN_RATE_WORKERS: adults other than students in a household holding Learning Family,
 *   a clan holding Learning Clan or a village holding Learning Community (not the commune-level
 *   title), from the first such title
 *   to the last one's end, and those of them holding Learning Citizen;
 * - LEARNING_CITIZEN_RATE_STAFF: people whose workplace holds Learning Unit, counted at the
 *   workplace's unit, and those of them holding Learning Citizen;
 * - CITIZEN_GROUP:<occupational group>: adults of the group and the Learning Citizens among them;
 * - COMMUNE_COMMUNITY and COMMUNE_COMMUNITY:<level>: communes, those holding Learning Community at
 *   commune level, and by level.
 */
export async function recomputeTallies(em: EntityManager, unitIds: readonly string[]): Promise<void> {
  if (unitIds.length === 0) return;
  const sorted = [...new Set(unitIds)].sort();
  const units = uuidArray(sorted);
  await lockUnitsForCount(em, sorted);
  await rawQuery(
    em,
    `with
     u(id) as (select unnest(?::uuid[])),
     yr(year) as (
       select generate_series(${MOVEMENT_YEARS.first}, ${MOVEMENT_YEARS.last})
       union select distinct f.year from recognition_fact f join participant_replica p on p.id = f.subject_id join u on u.id = p.unit_id
     ),
     kinds(kind, title, measure) as (values
       ('HOUSEHOLD', 'LEARNING_FAMILY', 'LEARNING_FAMILY_RATE'),
       ('CLAN', 'LEARNING_CLAN', 'LEARNING_CLAN_RATE'),
       ('ORGANIZATION', 'LEARNING_UNIT', 'LEARNING_UNIT_RATE'),
       ('PERSON', 'LEARNING_CITIZEN', 'LEARNING_CITIZEN_RATE_ADULTS')
     ),
     p as (select p.* from participant_replica p join u on u.id = p.unit_id),
     -- each participant in each year it counts in, under its measures
     member as (
       select p.id, p.unit_id, y.year, k.title, k.measure from p join kinds k on k.kind = p.kind cross join yr y
       where p.kind <> 'PERSON' or p.birth_year <= y.year - ${ADULT_AGE}
       union all
       select p.id, p.unit_id, y.year, 'LEARNING_CITIZEN', 'CITIZEN_GROUP:' || p.occupational_group from p cross join yr y
       where p.kind = 'PERSON' and p.birth_year <= y.year - ${ADULT_AGE} and p.occupational_group is not null
     ),
     -- the subjects whose titles count here: the participants and places themselves, people's households,
     -- their clans and villages, and the staff of the organizations
     subject(id) as (
       select id from p union select id from u
       union select household_id from p where household_id is not null
       union select h.unit_id from p join participant_replica h on h.id = p.household_id
       union select ch.clan_id from p join clan_household_replica ch on ch.household_id = p.household_id
       union select s.id from p o join participant_replica s on s.workplace_id = o.id where o.kind = 'ORGANIZATION'
     ),
     title as (${TITLE} and subject_id in (select id from subject) group by subject_id, title, year),
     -- workers and the collective titles that make them count, per year
     collective as (
       select w.id, w.unit_id, t.year, t.since, t.until from p w join title t on t.subject_id = w.household_id and t.title = 'LEARNING_FAMILY'
       where w.kind = 'PERSON' and w.occupational_group is distinct from 'STUDENT'
       union all
       select w.id, w.unit_id, t.year, t.since, t.until from p w
       join clan_household_replica ch on ch.household_id = w.household_id
       join title t on t.subject_id = ch.clan_id and t.title = 'LEARNING_CLAN'
       where w.kind = 'PERSON' and w.occupational_group is distinct from 'STUDENT'
       union all
       select w.id, w.unit_id, t.year, t.since, t.until from p w
       left join participant_replica h on h.id = w.household_id
       join title t on t.subject_id in (w.unit_id, h.unit_id) and t.title = 'LEARNING_COMMUNITY'
       where w.kind = 'PERSON' and w.occupational_group is distinct from 'STUDENT'
         -- a village's community, not the commune-level title
         and exists (select 1 from admin_unit_version_replica v where v.unit_id = t.subject_id and v.kind = 'VILLAGE')
     ),
     worker as (
       select c.id, c.unit_id, c.year, min(c.since) as since, max(c.until) as until from collective c
       join participant_replica w on w.id = c.id where w.birth_year <= c.year - ${ADULT_AGE}
       group by c.id, c.unit_id, c.year
     ),
     staff as (
       select s.id, o.unit_id, t.year, t.since, t.until from p o
       join title t on t.subject_id = o.id and t.title = 'LEARNING_UNIT'
       join participant_replica s on s.workplace_id = o.id and s.kind = 'PERSON'
       where o.kind = 'ORGANIZATION'
     ),
     -- villages and communes themselves, while they are one
     place as (
       select v.unit_id, v.kind, v.valid_from as since, coalesce(v.valid_to + 1, 'infinity'::date) as until
       from admin_unit_version_replica v join u on u.id = v.unit_id where v.kind in ('VILLAGE', 'COMMUNE')
     ),
     contribution(unit_id, year, measure, since, until, numerator, denominator) as (
       select m.unit_id, m.year, m.measure, '-infinity'::date, 'infinity'::date, 0, 1 from member m
       union all
       select m.unit_id, m.year, m.measure, t.since, t.until, 1, 0 from member m
       join title t on t.subject_id = m.id and t.title = m.title and t.year = m.year
       union all
       select w.unit_id, w.year, 'LEARNING_CITIZEN_RATE_WORKERS', w.since, w.until, 0, 1 from worker w
       union all
       select w.unit_id, w.year, 'LEARNING_CITIZEN_RATE_WORKERS', greatest(w.since, t.since), least(w.until, t.until), 1, 0 from worker w
       join title t on t.subject_id = w.id and t.title = 'LEARNING_CITIZEN' and t.year = w.year
       where greatest(w.since, t.since) < least(w.until, t.until)
       union all
       select s.unit_id, s.year, 'LEARNING_CITIZEN_RATE_STAFF', s.since, s.until, 0, 1 from staff s
       union all
       select s.unit_id, s.year, 'LEARNING_CITIZEN_RATE_STAFF', greatest(s.since, t.since), least(s.until, t.until), 1, 0 from staff s
       join title t on t.subject_id = s.id and t.title = 'LEARNING_CITIZEN' and t.year = s.year
       where greatest(s.since, t.since) < least(s.until, t.until)
       union all
       select pl.unit_id, y.year, case pl.kind when 'VILLAGE' then 'LEARNING_COMMUNITY_RATE' else 'COMMUNE_COMMUNITY' end,
         pl.since, pl.until, 0, 1 from place pl cross join yr y
       union all
       select pl.unit_id, t.year, m.measure, greatest(pl.since, t.since), least(pl.until, t.until), 1, 0 from place pl
       join title t on t.subject_id = pl.unit_id and t.title = 'LEARNING_COMMUNITY'
       cross join lateral (values
         (case pl.kind when 'VILLAGE' then 'LEARNING_COMMUNITY_RATE' else 'COMMUNE_COMMUNITY' end),
         (case pl.kind when 'COMMUNE' then 'COMMUNE_COMMUNITY:' || t.level end)
       ) as m(measure)
       where m.measure is not null and greatest(pl.since, t.since) < least(pl.until, t.until)
     ),
     old as (
       delete from progress_tally where unit_id = any(?::uuid[])
       returning unit_id, year, measure, since, until, numerator, denominator
     ),
     new as (
       insert into progress_tally (unit_id, year, measure, since, until, numerator, denominator)
       select unit_id, year, measure, since, until, sum(numerator), sum(denominator) from contribution
       group by unit_id, year, measure, since, until
       returning unit_id, year, measure, since, until, numerator, denominator
     ),
     -- what changed, added to the rollup of every unit whose subtree holds the unit
     delta(unit_id, year, measure, since, until, numerator, denominator) as (
       select unit_id, year, measure, since, until, sum(numerator), sum(denominator) from (
         select * from new
         union all
         select unit_id, year, measure, since, until, -numerator, -denominator from old
       ) d group by unit_id, year, measure, since, until
       having sum(numerator) <> 0 or sum(denominator) <> 0
     )
     ${ROLLUP_ADD('delta')}`,
    [units, units],
  );
  await rawQuery(em, ROLLUP_DROP_EMPTY, [units]);
}
