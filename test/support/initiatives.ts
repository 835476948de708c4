import { randomUUID } from 'node:crypto';
import {
  ADMIN_UNIT_CREATED,
  AuthContext,
  ReplicaScope,
  applyAdminUnitEvents,
  applyParticipantEvents,
  newEvent,
  type MikroORM,
} from '@xhht/infra';
export { awardsTestOrm } from './awards';
import {
  recognizeInitiative,
  registerInitiative,
  submitInitiative,
  type RegisterInput,
} from '../../services/awards/src/initiatives/initiative.domain';

/** The transaction the domain functions run in (awards' own EntityManager type). */
type EntityManager = Parameters<typeof registerInitiative>[0];

export const adminAuth = () => new AuthContext({ subject: 'test-admin', roles: [{ role: 'SYSTEM_ADMIN' }] });

/** A province with two communes, and a person and an organization in the first, in awards' replicas. */
export async function seedArea(em: EntityManager) {
  const [province, communeA, communeB, person, school] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const unit = (id: string, name: string, kind: string, parentId: string | null) =>
    newEvent(ADMIN_UNIT_CREATED, id, {
      id,
      code: id.slice(0, 8),
      name,
      kind,
      subtype: kind,
      parentId,
      validFrom: '2025-07-01',
      validTo: null,
    });
  await applyAdminUnitEvents(
    [
      unit(province, 'Tỉnh Lạng Sơn', 'PROVINCE', null),
      unit(communeA, 'Phường Đông Kinh', 'COMMUNE', province),
      unit(communeB, 'Xã Hữu Lũng', 'COMMUNE', province),
    ],
    em,
  );
  await applyParticipantEvents(
    [
      newEvent('vn.xhht.org.person.registered.v1', person, {
        id: person,
        unitId: communeA,
        code: person.slice(0, 8),
        birthYear: 1980,
        sex: 'FEMALE',
        occupationalGroup: 'TEACHER',
      }),
      newEvent('vn.xhht.org.organization.registered.v1', school, {
        id: school,
        unitId: communeA,
        code: school.slice(0, 8),
        name: 'Trung tâm học tập cộng đồng phường Đông Kinh',
        type: 'COMMUNITY_LEARNING_CENTRE',
        parentId: null,
      }),
    ],
    em,
  );
  return { province, communeA, communeB, person, school };
}

/** A draft initiative registered by `unitId`, with the input's other fields defaulted. */
export const initiativeInput = (unitId: string, over: Partial<RegisterInput> = {}): RegisterInput => ({
  kind: 'GOOD_MODEL',
  title: 'Mô hình',
  description: 'Mô tả',
  field: 'FAMILY_LEARNING',
  unitId,
  appliedSince: '2025-09-01',
  effectScope: 'COMMUNE',
  effectDescription: 'Hiệu quả trong phường',
  ...over,
});

/** Registers, submits and recognises an initiative (by an administrator, the province's council); returns its id. */
export async function recognisedInitiative(orm: MikroORM, input: RegisterInput, provinceId: string): Promise<string> {
  const auth = adminAuth();
  const run = <T>(work: (em: EntityManager, scope: ReplicaScope) => Promise<{ result: T }>) =>
    orm.em
      .fork()
      .transactional(async (tx) => (await work(tx as unknown as EntityManager, new ReplicaScope(tx as unknown as EntityManager))).result);
  const draft = await run((em, scope) => registerInitiative(em, auth, scope, input));
  const submitted = await run((em, scope) => submitInitiative(em, auth, scope, { id: draft.id, expectedVersion: draft.version }));
  await run((em, scope) =>
    recognizeInitiative(em, auth, scope, {
      id: submitted.id,
      expectedVersion: submitted.version,
      councilSessionRef: 'Phiên họp số 03, ngày 15/3/2026',
      recognisedEffectScope: 'PROVINCE',
      recognisingUnitId: provinceId,
    }),
  );
  return draft.id;
}

/** A draft initiative (registered, not submitted); returns its id. */
export async function draftInitiative(orm: MikroORM, input: RegisterInput): Promise<string> {
  return orm.em
    .fork()
    .transactional(
      async (tx) =>
        (await registerInitiative(tx as unknown as EntityManager, adminAuth(), new ReplicaScope(tx as unknown as EntityManager), input))
          .result.id,
    );
}
