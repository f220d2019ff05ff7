import { ValidateIf } from 'class-validator';

/**
 * For fields of a partial update: absent (undefined) skips the field's rules, but an explicit
 * null is validated (and refused) — unlike @IsOptional, which lets null through.
 */
export const IsAbsentOr = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
