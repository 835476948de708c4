import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { progressRollupMigrations } from '../progress/progress-rollup';
import { progressTallyMigrations } from '../progress/progress-tally';
import { recognitionFactMigrations } from '../read-models/recognition-fact';
import { Migration20261123002000UnitStatistics } from './Migration20261123002000UnitStatistics';
import { Migration20261123012000DropUnitStatistics } from './Migration20261123012000DropUnitStatistics';
import { Migration20261205100000Plans } from './Migration20261205100000Plans';
import { Migration20261210000000Reports } from './Migration20261210000000Reports';
import { Migration20261212000000TargetsJudgement } from './Migration20261212000000TargetsJudgement';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  { name: 'Migration20261123002000UnitStatistics', class: Migration20261123002000UnitStatistics },
  { name: 'Migration20261123012000DropUnitStatistics', class: Migration20261123012000DropUnitStatistics },
  ...participantReplicaMigrations,
  { name: 'Migration20261205100000Plans', class: Migration20261205100000Plans },
  ...recognitionFactMigrations,
  ...progressTallyMigrations,
  { name: 'Migration20261210000000Reports', class: Migration20261210000000Reports },
  ...progressRollupMigrations,
  { name: 'Migration20261212000000TargetsJudgement', class: Migration20261212000000TargetsJudgement },
];
