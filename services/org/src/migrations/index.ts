import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123001000AdminUnits } from './Migration20261123001000AdminUnits';

export const migrations: MigrationObject[] = [{ name: 'Migration20261123001000AdminUnits', class: Migration20261123001000AdminUnits }];
