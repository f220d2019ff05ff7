import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { profileSchemas } from '../archiving-profiles/dto/profile-schemas.js';

/** The OpenAPI document at /api/v1/openapi.json, rendered by Swagger UI at /api/docs (SPEC §5). */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Mailkeep API')
    .setDescription(
      'Multi-tenant email archiving. Authenticate with `Authorization: Bearer <api key>`. ' +
        'Errors are application/problem+json with a stable `code` and, for validation, every field error in `errors`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Generated from the contracts' classes, not from decorated DTOs: added to the document by name.
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...profileSchemas() },
  };
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/v1/openapi.json',
    useGlobalPrefix: false,
  });
}
