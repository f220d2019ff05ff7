import { ContractError } from '@mailkeep/contracts';
import { flattenValidationErrors } from '@mailkeep/messaging';
import { ValidationPipe } from '@nestjs/common';

/**
 * Validates bodies and queries against their DTO classes. Unknown properties are errors, and every
 * field error of a request is reported at once (SPEC §5).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      ContractError.validation(flattenValidationErrors(errors), 'The request is invalid'),
  });
}
