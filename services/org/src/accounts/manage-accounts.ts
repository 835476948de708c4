import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ROLES, ROLE_NAMES, badInput, conflict, foldVietnamese, notFound, todayInVietnam, type Role, parseInput } from '@xhht/infra';
import { ADMIN_UNIT_KIND_NAMES } from '../admin-units/admin-unit-kind';
import { findViews } from '../admin-units/admin-unit.repository';
import { Account, RoleAssignment } from './account.entity';
import { hashPassword } from './password';
import { ROLE_SCOPES } from './role-scopes';

const uuid = (what: string) => z.string().uuid(`${what} không hợp lệ`);

export const createAccountInput = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch nối, gạch dưới'),
  displayName: z.string().trim().min(1, 'tên hiển thị không được để trống').max(200, 'tên hiển thị dài tối đa 200 ký tự'),
  password: z.string().min(10, 'mật khẩu cần ít nhất 10 ký tự').max(200, 'mật khẩu dài tối đa 200 ký tự'),
});

/** Creates an active account without roles. Refused, with nothing written, when the username is taken. */
export async function createAccount(em: EntityManager, raw: unknown, actor: string): Promise<Account> {
  const input = parseInput(createAccountInput, raw);
  if ((await em.count(Account, { username: input.username })) > 0) {
    throw conflict(`Tên đăng nhập ${input.username} đã được sử dụng`, 'USERNAME_TAKEN', ['input', 'username']);
  }
  const account = new Account();
  account.id = randomUUID();
  account.username = input.username;
  account.displayName = input.displayName;
  account.displayNameFolded = foldVietnamese(input.displayName);
  account.passwordHash = await hashPassword(input.password);
  account.createdBy = actor;
  account.updatedBy = actor;
  em.persist(account);
  return account;
}

export const assignRoleInput = z.object({
  accountId: uuid('mã tài khoản'),
  role: z.string().refine((r): r is Role => (ROLE_NAMES as string[]).includes(r), {
    message: `vai trò không tồn tại; các vai trò: ${ROLE_NAMES.join(', ')}`,
  }),
  unitId: uuid('mã đơn vị').nullish(),
  organizationId: uuid('mã tổ chức').nullish(),
  personId: uuid('mã người').nullish(),
});

/**
 * Grants a role over a scope. The scope must suit the role (ROLE_SCOPES), exist and (units and
 * organizations) be in force today; the same role over the same scope cannot be held twice at once.
 */
export async function assignRole(em: EntityManager, raw: unknown, actor: string): Promise<RoleAssignment> {
  const input = parseInput(assignRoleInput, raw);
  const role = input.role as Role;
  const today = todayInVietnam();

  if ((await em.count(Account, { id: input.accountId })) === 0) {
    throw notFound('Không tìm thấy tài khoản', 'ACCOUNT_NOT_FOUND', ['input', 'accountId']);
  }
  const scope = ROLE_SCOPES[role];
  const roleName = ROLES[role];
  if (scope.kind !== 'UNIT' && input.unitId) {
    throw badInput(`Vai trò ${roleName} không gắn với đơn vị hành chính`, 'UNIT_SCOPE_NOT_ALLOWED', ['input', 'unitId']);
  }
  if (scope.kind !== 'ORGANIZATION' && input.organizationId) {
    throw badInput(`Vai trò ${roleName} không gắn với tổ chức`, 'ORGANIZATION_SCOPE_NOT_ALLOWED', ['input', 'organizationId']);
  }
  if (scope.kind !== 'PERSON' && input.personId) {
    throw badInput(`Vai trò ${roleName} không gắn với một người`, 'PERSON_SCOPE_NOT_ALLOWED', ['input', 'personId']);
  }
  if (scope.kind === 'PERSON') {
    if (!input.personId)
      throw badInput(`Vai trò ${roleName} cần chỉ rõ người (công dân) mà tài khoản đại diện`, 'PERSON_REQUIRED', ['input', 'personId']);
    if ((await em.execute('select 1 from person where id = ?', [input.personId])).length === 0) {
      throw badInput('Không tìm thấy người này', 'PERSON_NOT_FOUND', ['input', 'personId']);
    }
  }
  if (scope.kind === 'UNIT') {
    if (!input.unitId) throw badInput(`Vai trò ${roleName} cần một đơn vị hành chính`, 'UNIT_REQUIRED', ['input', 'unitId']);
    const unit = (await findViews(em, [input.unitId], today)).get(input.unitId);
    if (!unit) throw badInput('Không tìm thấy đơn vị hành chính', 'UNIT_NOT_FOUND', ['input', 'unitId']);
    if (unit.validFrom > today || (unit.validTo && unit.validTo < today)) {
      throw badInput(`${unit.name} không còn (hoặc chưa) có hiệu lực hôm nay`, 'UNIT_NOT_IN_FORCE', ['input', 'unitId']);
    }
    if (!scope.unitKinds.includes(unit.kind)) {
      throw badInput(
        `Vai trò ${roleName} chỉ gắn với đơn vị cấp ${scope.unitKinds.map((k) => ADMIN_UNIT_KIND_NAMES[k]).join(', ')}; ${unit.name} là cấp ${ADMIN_UNIT_KIND_NAMES[unit.kind]}`,
        'UNIT_KIND_NOT_ALLOWED',
        ['input', 'unitId'],
      );
    }
  }
  if (scope.kind === 'ORGANIZATION') {
    if (!input.organizationId) {
      throw badInput(`Vai trò ${roleName} cần một tổ chức`, 'ORGANIZATION_REQUIRED', ['input', 'organizationId']);
    }
    const [org] = await em.execute<{ in_force: boolean }[]>(
      'select valid_from <= ?::date and (valid_to is null or valid_to >= ?::date) as in_force from organization where id = ?',
      [today, today, input.organizationId],
    );
    if (!org) throw badInput('Không tìm thấy tổ chức', 'ORGANIZATION_NOT_FOUND', ['input', 'organizationId']);
    if (!org.in_force) throw badInput('Tổ chức không còn hoạt động hôm nay', 'ORGANIZATION_NOT_IN_FORCE', ['input', 'organizationId']);
  }
  const held = await em.count(RoleAssignment, {
    accountId: input.accountId,
    role,
    unitId: input.unitId ?? null,
    organizationId: input.organizationId ?? null,
    personId: input.personId ?? null,
    revokedAt: null,
  });
  if (held > 0) throw conflict(`Tài khoản đã có vai trò ${roleName} trong phạm vi này`, 'ROLE_ALREADY_ASSIGNED', ['input', 'role']);

  const assignment = new RoleAssignment();
  assignment.id = randomUUID();
  assignment.accountId = input.accountId;
  assignment.role = role;
  assignment.unitId = input.unitId ?? null;
  assignment.organizationId = input.organizationId ?? null;
  assignment.personId = input.personId ?? null;
  assignment.grantedBy = actor;
  em.persist(assignment);
  return assignment;
}

const revokeRoleInput = z.object({ assignmentId: uuid('mã phân quyền') });

/** Ends an assignment; the row stays with who revoked it and when. */
export async function revokeRole(em: EntityManager, raw: unknown, actor: string): Promise<RoleAssignment> {
  const { assignmentId } = parseInput(revokeRoleInput, raw);
  const assignment = await em.findOne(RoleAssignment, { id: assignmentId });
  if (!assignment) throw notFound('Không tìm thấy phân quyền', 'ASSIGNMENT_NOT_FOUND', ['input', 'assignmentId']);
  if (assignment.revokedAt) throw conflict('Phân quyền này đã bị thu hồi', 'ASSIGNMENT_ALREADY_REVOKED', ['input', 'assignmentId']);
  assignment.revokedAt = new Date();
  assignment.revokedBy = actor;
  return assignment;
}

const setAccountActiveInput = z.object({ accountId: uuid('mã tài khoản'), active: z.boolean() });

/** Enables or disables sign-in. Tokens already issued run out on their own (they are short-lived). */
export async function setAccountActive(em: EntityManager, raw: unknown, actor: string): Promise<Account> {
  const { accountId, active } = parseInput(setAccountActiveInput, raw);
  const account = await em.findOne(Account, { id: accountId });
  if (!account) throw notFound('Không tìm thấy tài khoản', 'ACCOUNT_NOT_FOUND', ['input', 'accountId']);
  // an administrator locking themselves out would need another administrator to undo it
  if (!active && accountId === actor)
    throw badInput('Không thể tự khóa tài khoản của mình', 'CANNOT_DEACTIVATE_SELF', ['input', 'accountId']);
  if (account.active !== active) {
    account.active = active;
    account.updatedAt = new Date();
    account.updatedBy = actor;
  }
  return account;
}
