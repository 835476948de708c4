/** What decisions use from the other modules: scope from the replicas, and the configured deciding authority. */
export { ReplicaScope } from '@xhht/infra';
export { requireDecidingAuthority, type AuthorityRule } from '../authority/deciding-authority';
