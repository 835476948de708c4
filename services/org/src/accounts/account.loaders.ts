import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, RoleAssignment } from './account.entity';

/** Accounts by id, one query per request. */
export const accountLoader = (em: EntityManager) =>
  new DataLoader<string, Account | null>(async (ids) => {
    const found = await em.find(Account, { id: { $in: [...ids] } });
    const byId = new Map(found.map((a) => [a.id, a]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Each account's assignments in force (not revoked), oldest first, one query per request. */
export const activeAssignmentsLoader = (em: EntityManager) =>
  new DataLoader<string, RoleAssignment[]>(async (accountIds) => {
    const rows = await em.find(
      RoleAssignment,
      { accountId: { $in: [...accountIds] }, revokedAt: null },
      { orderBy: { grantedAt: 'asc', id: 'asc' } },
    );
    return accountIds.map((id) => rows.filter((r) => r.accountId === id));
  });
