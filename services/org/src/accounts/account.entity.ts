import { EntitySchema } from '@mikro-orm/core';
import type { Role } from '@xhht/infra';

/** Someone who signs in and acts in the system. The password is kept only as a salted scrypt hash. */
export class Account {
  id!: string;
  /** Lower-case; unique. */
  username!: string;
  displayName!: string;
  displayNameFolded!: string;
  passwordHash!: string;
  active: boolean = true;
  createdAt: Date = new Date();
  createdBy!: string;
  updatedAt: Date = new Date();
  updatedBy?: string | null;
}

/**
 * A role granted to an account over a scope: a unit (and everything below it), an organization,
 * a person (a citizen's own), or nothing (roles that are not tied to a place). Revoked assignments stay, for the audit trail.
 */
export class RoleAssignment {
  id!: string;
  accountId!: string;
  role!: Role;
  unitId?: string | null;
  organizationId?: string | null;
  /** For CITIZEN: the person the account holder is. */
  personId?: string | null;
  grantedAt: Date = new Date();
  grantedBy!: string;
  revokedAt?: Date | null;
  revokedBy?: string | null;
}

export const AccountSchema = new EntitySchema<Account>({
  class: Account,
  tableName: 'account',
  properties: {
    id: { type: 'uuid', primary: true },
    username: { type: 'text' },
    displayName: { type: 'text', fieldName: 'display_name' },
    displayNameFolded: { type: 'text', fieldName: 'display_name_folded' },
    passwordHash: { type: 'text', fieldName: 'password_hash', lazy: true },
    active: { type: 'boolean' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
    updatedAt: { type: 'Date', fieldName: 'updated_at' },
    updatedBy: { type: 'text', fieldName: 'updated_by', nullable: true },
  },
});

export const RoleAssignmentSchema = new EntitySchema<RoleAssignment>({
  class: RoleAssignment,
  tableName: 'role_assignment',
  properties: {
    id: { type: 'uuid', primary: true },
    accountId: { type: 'uuid', fieldName: 'account_id' },
    role: { type: 'text' },
    unitId: { type: 'uuid', fieldName: 'unit_id', nullable: true },
    organizationId: { type: 'uuid', fieldName: 'organization_id', nullable: true },
    personId: { type: 'uuid', fieldName: 'person_id', nullable: true },
    grantedAt: { type: 'Date', fieldName: 'granted_at' },
    grantedBy: { type: 'text', fieldName: 'granted_by' },
    revokedAt: { type: 'Date', fieldName: 'revoked_at', nullable: true },
    revokedBy: { type: 'text', fieldName: 'revoked_by', nullable: true },
  },
});
