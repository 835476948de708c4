import { newEvent, type CloudEvent } from '@xhht/infra';
import type { AuthorRow, InitiativeRow } from './initiative.repository';

export const INITIATIVE_RECOGNISED = 'vn.xhht.awards.initiative.recognised.v1';

/**
 * The council recognised an initiative; keyed by the initiative. Ids, the public title and the
 * recognition's facts only: a person author travels as an id, never by name.
 */
export const recognisedEvent = (i: InitiativeRow, authors: AuthorRow[]): CloudEvent =>
  newEvent(
    INITIATIVE_RECOGNISED,
    i.id,
    {
      initiativeId: i.id,
      kind: i.kind,
      title: i.title,
      field: i.field,
      unitId: i.unitId,
      organizationId: i.organizationId,
      authorPersonIds: authors.filter((a) => a.authorKind === 'PERSON').map((a) => a.authorId),
      authorOrganizationIds: authors.filter((a) => a.authorKind === 'ORGANIZATION').map((a) => a.authorId),
      appliedSince: i.appliedSince,
      effectScope: i.effectScope,
      recognisedEffectScope: i.recognisedEffectScope!,
      recognisingUnitId: i.recognisingUnitId!,
      councilSessionRef: i.councilSessionRef!,
      recognisedAt: i.recognisedAt!.toISOString(),
      recognisedBy: i.recognisedBy!,
      version: i.version,
    },
    i.recognisedAt!,
  );
