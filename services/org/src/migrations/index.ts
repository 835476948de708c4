import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124130000HouseholdFoldedRequired } from './Migration20261124130000HouseholdFoldedRequired';
import { Migration20261123001000AdminUnits } from './Migration20261123001000AdminUnits';
import { Migration20261123010000EffectiveDatedHierarchy } from './Migration20261123010000EffectiveDatedHierarchy';
import { Migration20261123011000Participants } from './Migration20261123011000Participants';
import { Migration20261124090000HouseholdSearch } from './Migration20261124090000HouseholdSearch';
import { Migration20261124120000Accounts } from './Migration20261124120000Accounts';
import { Migration20261202400000CitizenPerson } from './Migration20261202400000CitizenPerson';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261123001000AdminUnits', class: Migration20261123001000AdminUnits },
  { name: 'Migration20261123010000EffectiveDatedHierarchy', class: Migration20261123010000EffectiveDatedHierarchy },
  { name: 'Migration20261123011000Participants', class: Migration20261123011000Participants },
  { name: 'Migration20261124090000HouseholdSearch', class: Migration20261124090000HouseholdSearch },
  { name: 'Migration20261124120000Accounts', class: Migration20261124120000Accounts },
  { name: 'Migration20261124130000HouseholdFoldedRequired', class: Migration20261124130000HouseholdFoldedRequired },
  { name: 'Migration20261202400000CitizenPerson', class: Migration20261202400000CitizenPerson },
];
