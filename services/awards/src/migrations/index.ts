import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { Migration20261222000000StudyPromotionFunds } from './Migration20261222000000StudyPromotionFunds';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  ...participantReplicaMigrations,
  { name: 'Migration20261222000000StudyPromotionFunds', class: Migration20261222000000StudyPromotionFunds },
];
