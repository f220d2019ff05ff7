import { ValidateIf } from 'class-validator';

/**
 * For two optional fields that mean something only together (a segment and an offset in it):
 * the field's rules apply when it or `other` is present, so one without the other is refused at
 * the contract, on publish and on receipt, instead of by every reader.
 */
export const PresentWith = (other: string): PropertyDecorator =>
  ValidateIf(
    (object: Record<string, unknown>, value: unknown) => value !== undefined || object[other] !== undefined,
  );
