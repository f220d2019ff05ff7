/**
 * @mailkeep/egress: which addresses a connection to a tenant-supplied host may reach (the SSRF
 * policy), and the one helper that resolves, checks and connects.
 */
export {
  type ConnectedSocket,
  Egress,
  type EgressConnectOptions,
  type EgressTarget,
  type EgressTlsOptions,
  type LookupAll,
} from './egress.js';
export { DEFAULT_REFUSED_RANGES, type EgressDecision, EgressPolicy } from './egress-policy.js';
export { EGRESS_REFUSED, egressRefused, isEgressRefused } from './egress-refused.js';
export {
  type EgressRule,
  EgressRuleError,
  isEgressRule,
  parseEgressRule,
  parseEgressRules,
} from './egress-rule.js';
