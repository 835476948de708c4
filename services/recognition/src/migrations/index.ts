import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { Migration20261202000000RecognitionCore } from './Migration20261202000000RecognitionCore';
import { Migration20261202100000CriteriaSets } from './Migration20261202100000CriteriaSets';
import { Migration20261202100100SampleCriteriaSets } from './Migration20261202100100SampleCriteriaSets';
import { Migration20261202400000Evidence } from './Migration20261202400000Evidence';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  ...participantReplicaMigrations,
  { name: 'Migration20261202000000RecognitionCore', class: Migration20261202000000RecognitionCore },
  { name: 'Migration20261202100000CriteriaSets', class: Migration20261202100000CriteriaSets },
  { name: 'Migration20261202100100SampleCriteriaSets', class: Migration20261202100100SampleCriteriaSets },
  { name: 'Migration20261202400000Evidence', class: Migration20261202400000Evidence },
];
