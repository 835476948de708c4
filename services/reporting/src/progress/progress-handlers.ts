import type { EntityManager } from '@mikro-orm/postgresql';
import {
  adminUnitReplicaHandlers,
  applyAdminUnitEvents,
  applyParticipantEvents,
  participantReplicaHandlers,
  type CloudEvent,
  type InboxHandler,
} from '@xhht/infra';
import { applyRecognitionEvents, recognitionFactHandlers } from '../read-models/recognition-fact';
import { refreshClosure } from './progress-rollup';
import { recomputeTallies, refreshFactCounting, unitsCountingSubjects } from './progress-tally';

/**
 * The read models' handlers, each followed by a recount of the units its events touch, in the same
 * transaction as the inbox row: once an event is applied, progress shows it, and a redelivered event
 * recounts the same rows to the same figures.
 */
const recount = (em: EntityManager, units: readonly string[]) => recomputeTallies(em, units);

const batch = (apply: (events: CloudEvent<unknown>[], em: EntityManager) => Promise<void>): InboxHandler => ({
  one: (event, em) => apply([event], em),
  many: apply,
});

interface Identified {
  id?: string;
  recognitionId?: string;
  subjectId?: string;
  change?: { units: { unitId: string }[] };
  units?: { id: string }[];
}

const recognitionHandler = batch(async (events, em) => {
  await applyRecognitionEvents(events, em);
  const data = events.map((e) => e.data as Identified);
  await refreshFactCounting(
    em,
    data.map((d) => d.recognitionId!),
  );
  await recount(em, await unitsCountingSubjects(em, [...new Set(data.map((d) => d.subjectId!))]));
});

/** A participant that moves is recounted where it was and where it is. */
const participantHandler = batch(async (events, em) => {
  const ids = [...new Set(events.map((e) => (e.data as Identified).id!))];
  const before = await unitsCountingSubjects(em, ids);
  await applyParticipantEvents(events, em);
  await recount(em, [...before, ...(await unitsCountingSubjects(em, ids))]);
});

/** A change of the tree moves tallies between rollups (refreshClosure); villages and communes are subjects too. */
const hierarchyHandler = batch(async (events, em) => {
  await applyAdminUnitEvents(events, em);
  await refreshClosure(em);
  const touched = events.flatMap((e) => {
    const d = e.data as Identified;
    return [...(d.id ? [d.id] : []), ...(d.units ?? []).map((u) => u.id), ...(d.change?.units ?? []).map((u) => u.unitId)];
  });
  await recount(em, touched);
});

const each = (handlers: Record<string, InboxHandler>, handler: InboxHandler) =>
  Object.fromEntries(Object.keys(handlers).map((type) => [type, handler]));

/** Handlers of reporting's consumers: the replicas and facts, kept counted. */
export const countedHierarchyHandlers: Record<string, InboxHandler> = {
  ...each(adminUnitReplicaHandlers, hierarchyHandler),
  ...each(participantReplicaHandlers, participantHandler),
};
export const countedRecognitionHandlers: Record<string, InboxHandler> = each(recognitionFactHandlers, recognitionHandler);
