import { ContractError, type ObjectReference } from '@mailkeep/contracts';

/** CONFLICT `in_use` naming every referencing object (SPEC D2, D5). */
export function inUse(what: string, references: readonly ObjectReference[]): ContractError {
  const names = references.map((r) => `${r.kind} ${r.name ? `"${r.name}"` : r.id}`).join(', ');
  return new ContractError('CONFLICT', `The ${what} is in use by ${names}`, {
    reason: 'in_use',
    references: references.map((r) => ({
      kind: r.kind,
      id: r.id,
      ...(r.name !== undefined && { name: r.name }),
    })),
  });
}
