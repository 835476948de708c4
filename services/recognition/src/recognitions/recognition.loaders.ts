import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthContext, ReplicaScope } from '@xhht/infra';
import { decisionLoader } from '../decisions/decision.repository';
import {
  recognitionLoader,
  recognitionsByDecision,
  recognitionsBySubject,
  recognitionsByUnit,
  visibleRecognitionLoader,
} from './recognition.repository';

/** Per request: decisions and recognitions, batched; the readable ones depend on the caller, fixed for the request. */
export function recognitionLoaders(em: EntityManager, scope: ReplicaScope) {
  const lazy = <T>(make: (auth: AuthContext) => T) => {
    let made: T | undefined;
    return (auth: AuthContext): T => (made ??= make(auth));
  };
  return {
    decision: decisionLoader(em),
    recognition: recognitionLoader(em),
    visibleRecognition: lazy((auth) => visibleRecognitionLoader(em, auth, scope)),
    recognitionsBySubject: lazy((auth) => recognitionsBySubject(em, auth, scope)),
    recognitionsByUnit: lazy((auth) => recognitionsByUnit(em, auth, scope)),
    recognitionsByDecision: lazy((auth) => recognitionsByDecision(em, auth, scope)),
  };
}
