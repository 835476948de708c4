import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { Migration20261202000000RecognitionCore } from './Migration20261202000000RecognitionCore';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  ...participantReplicaMigrations,
  { name: 'Migration20261202000000RecognitionCore', class: Migration20261202000000RecognitionCore },
];
