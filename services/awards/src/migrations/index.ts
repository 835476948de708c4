import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';

export const migrations: MigrationObject[] = [...adminUnitReplicaMigrations, ...participantReplicaMigrations];
