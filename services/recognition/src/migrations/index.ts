import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { Migration20261202000000RecognitionCore } from './Migration20261202000000RecognitionCore';
import { Migration20261202100000CriteriaSets } from './Migration20261202100000CriteriaSets';
import { Migration20261202100100SampleCriteriaSets } from './Migration20261202100100SampleCriteriaSets';
import { Migration20261202100200Assessments } from './Migration20261202100200Assessments';
import { Migration20261202400000Evidence } from './Migration20261202400000Evidence';
import { Migration20261202300000RecognitionDecisions } from './Migration20261202300000RecognitionDecisions';
import { Migration20261202200000AuthorityRules } from './Migration20261202200000AuthorityRules';
import { Migration20261202210000RecognitionCycleStatus } from './Migration20261202210000RecognitionCycleStatus';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  ...participantReplicaMigrations,
  { name: 'Migration20261202000000RecognitionCore', class: Migration20261202000000RecognitionCore },
  { name: 'Migration20261202100000CriteriaSets', class: Migration20261202100000CriteriaSets },
  { name: 'Migration20261202100100SampleCriteriaSets', class: Migration20261202100100SampleCriteriaSets },
  { name: 'Migration20261202100200Assessments', class: Migration20261202100200Assessments },
  { name: 'Migration20261202400000Evidence', class: Migration20261202400000Evidence },
  { name: 'Migration20261202300000RecognitionDecisions', class: Migration20261202300000RecognitionDecisions },
  { name: 'Migration20261202200000AuthorityRules', class: Migration20261202200000AuthorityRules },
  { name: 'Migration20261202210000RecognitionCycleStatus', class: Migration20261202210000RecognitionCycleStatus },
];
