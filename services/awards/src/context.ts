import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServiceContext } from '@xhht/infra';
import { formAtLoader, formVersionsLoader } from './forms/award-form.repository';
import { recognitionsOfSubjectsLoader } from './recognitions/recognition-replica';

export const createLoaders = (em: EntityManager) => ({
  formAt: formAtLoader(em),
  formVersions: formVersionsLoader(em),
  recognitionsOfSubjects: recognitionsOfSubjectsLoader(em),
});
export type AwardsLoaders = ReturnType<typeof createLoaders>;
export type AwardsContext = ServiceContext<AwardsLoaders>;
