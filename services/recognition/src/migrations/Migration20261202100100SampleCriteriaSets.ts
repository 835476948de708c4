import { Migration } from '@mikro-orm/migrations';
import { criteriaDefinitionSchema } from '../criteria/criteria-definition';
import { SAMPLE_CRITERIA_SETS } from '../criteria/sample-criteria-sets';

/** Loads the sample criteria sets, PUBLISHED and marked as samples. Runs again without effect. */
export class Migration20261202100100SampleCriteriaSets extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    for (const s of SAMPLE_CRITERIA_SETS) {
      const definition = criteriaDefinitionSchema.parse(s.definition);
      this.addSql(
        knex.raw(
          `insert into criteria_set (id, code, version, title, subject_level, name, legal_basis, valid_from, status, sample, definition,
             published_at, published_by, created_by, updated_by)
           values (?, ?, 1, ?, ?, ?, ?, ?, 'PUBLISHED', true, ?::jsonb, now(), 'system', 'system', 'system')
           on conflict do nothing`,
          [s.id, s.code, s.title, s.subjectLevel, s.name, s.legalBasis, s.validFrom, JSON.stringify(definition)],
        ),
      );
    }
  }

  override async down(): Promise<void> {
    const knex = this.getKnex();
    this.addSql(
      knex.raw(`delete from criteria_set where sample and id = any(?::uuid[])`, [`{${SAMPLE_CRITERIA_SETS.map((s) => s.id).join(',')}}`]),
    );
  }
}
