import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations } from '@xhht/infra';
import { Migration20261123002000UnitStatistics } from './Migration20261123002000UnitStatistics';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  { name: 'Migration20261123002000UnitStatistics', class: Migration20261123002000UnitStatistics },
];
