/**
 * The operations of the api's OpenAPI document (`/api/v1/openapi.json`), for the suites that are
 * generated from it (test/hostile-input.e2e-spec.ts, test/security.e2e-spec.ts): a route added to
 * the api is probed without editing them.
 */
export interface Operation {
  readonly method: string;
  readonly template: string;
  /** The request body's media types (`application/json`, `text/csv`). */
  readonly bodyTypes: readonly string[];
  readonly hasJsonBody: boolean;
  /** The top-level fields of the JSON body's schema (its `$ref` and `oneOf` members resolved). */
  readonly bodyFields: readonly string[];
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
}

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, unknown>;
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
  anyOf?: SchemaObject[];
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
        parameters?: { in: string; name: string }[];
      }
    >
  >;
  components?: { schemas?: Record<string, SchemaObject> };
}

/** Every operation of the document served by the platform at `baseUrl`. */
export async function fetchOperations(baseUrl: string): Promise<Operation[]> {
  const document = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDocument;
  const schemas = document.components?.schemas ?? {};
  return Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, spec]) => {
      const content = spec.requestBody?.content ?? {};
      return {
        method,
        template,
        bodyTypes: Object.keys(content),
        hasJsonBody: 'application/json' in content,
        bodyFields: fieldsOf(content['application/json']?.schema, schemas),
        pathParams: (spec.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (spec.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      };
    }),
  );
}

/** Every property name a body schema can have, through `$ref`, `oneOf`, `anyOf` and `allOf`. */
function fieldsOf(
  schema: SchemaObject | undefined,
  schemas: Record<string, SchemaObject>,
  depth = 0,
): string[] {
  if (schema === undefined || depth > 5) return [];
  if (schema.$ref !== undefined)
    return fieldsOf(schemas[schema.$ref.split('/').pop() ?? ''], schemas, depth + 1);
  const nested = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])];
  return [
    ...new Set([
      ...Object.keys(schema.properties ?? {}),
      ...nested.flatMap((s) => fieldsOf(s, schemas, depth + 1)),
    ]),
  ];
}
