import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The length of a string as PostgreSQL's `varchar(n)` counts it: in Unicode code points.
 * class-validator's `MaxLength` counts differently (a surrogate pair as one, and a variation
 * selector such as U+FE0F as nothing), so a name of emoji could pass `MaxLength(200)` and still
 * be too long for its `varchar(200)` column: a 500 after validation said yes.
 */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** class-validator decorator: a string of at most `max` code points (see {@link codePointLength}). */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxChars',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && codePointLength(value) <= max,
        defaultMessage: () => `$property must be at most ${max} characters long`,
      },
    },
    options,
  );
}
