import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

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
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/v1/openapi.json',
    useGlobalPrefix: false,
  });
}
