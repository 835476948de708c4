import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations } from '@xhht/infra';

export const migrations: MigrationObject[] = [...adminUnitReplicaMigrations];
