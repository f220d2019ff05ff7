import { getMetadataStorage } from 'class-validator';

import type { AnyContract, PayloadClass } from './contract.js';

export interface PayloadFieldDescription {
  readonly name: string;
  /** The class-validator rules on the field, e.g. `isUuid`, `isOptional`. */
  readonly rules: readonly string[];
}

/** The fields of a payload class as the validator sees them: the wire shape, for docs and snapshots. */
export function describePayload(payload: PayloadClass<object>): PayloadFieldDescription[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(payload, '', true, false);
  const rulesByField = new Map<string, Set<string>>();
  for (const entry of metadata) {
    const rules = rulesByField.get(entry.propertyName) ?? new Set<string>();
    rules.add(entry.name ?? entry.type);
    rulesByField.set(entry.propertyName, rules);
  }
  return [...rulesByField.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rules]) => ({ name, rules: [...rules].sort() }));
}

/** A contract reduced to what is frozen on the wire. */
export function describeContract(contract: AnyContract): Record<string, unknown> {
  if (contract.kind === 'request') {
    return {
      kind: contract.kind,
      request: describePayload(contract.request),
      reply: describePayload(contract.reply),
    };
  }
  return { kind: contract.kind, stream: contract.stream.name, payload: describePayload(contract.payload) };
}
