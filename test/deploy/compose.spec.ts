import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

import { CONFIG_MAP } from './kubernetes-base.js';
import { imageEntry, OPTIONAL_IN_DEPLOYMENT, SERVICES, variablesOf } from './service-envs.js';

/**
 * deploy/compose.yaml (issue 22, item 3): valid against the Compose Specification's JSON schema
 * (the one dclint ships, from compose-spec/compose-spec; Debian's docker-compose 1.29 predates keys
 * the file uses, such as `name:`), with the same images and settings as deploy/kubernetes, every
 * variable each service reads set, and every variable the file needs listed in deploy/README.md.
 */
const deploy = (path: string) => fileURLToPath(new URL(`../../deploy/${path}`, import.meta.url));
const composeText = readFileSync(deploy('compose.yaml'), 'utf8');
// Compose resolves YAML merge keys (`<<: *database`); so does the parser here.
const compose = parse(composeText, { merge: true }) as {
  services: Record<
    string,
    { image?: string; command?: string[]; environment?: Record<string, string>; depends_on?: object }
  >;
};
// dclint does not export the file; its package directory is found from its manifest.
const SCHEMA = fileURLToPath(
  new URL('../../node_modules/dclint/schemas/compose.schema.json', import.meta.url),
);

/** The ENV the image sets (deploy/Dockerfile's last stage): a container gets them without compose. */
function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(deploy('Dockerfile'), 'utf8');
  const lastStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of lastStage.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g))
      env[name as string] = value as string;
  }
  return env;
}

function singleNodeImages(): Map<string, string> {
  const images = new Map<string, string>();
  const kustomization = parse(
    readFileSync(deploy('kubernetes/overlays/single-node/kustomization.yaml'), 'utf8'),
  ) as {
    images: { name: string; newName: string; newTag: string }[];
  };
  for (const image of kustomization.images) images.set(image.name, `${image.newName}:${image.newTag}`);
  for (const file of ['nats', 'postgres', 'minio']) {
    for (const document of parseAllDocuments(
      readFileSync(deploy(`kubernetes/overlays/single-node/${file}.yaml`), 'utf8'),
    )) {
      const object = document.toJSON() as {
        kind: string;
        spec?: { template?: { spec?: { containers: { image: string }[] } } };
      };
      const image =
        object.kind === 'StatefulSet' ? object.spec?.template?.spec?.containers[0]?.image : undefined;
      if (image) images.set(file, image);
    }
  }
  return images;
}

describe('deploy/compose.yaml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // Draft-07, Ajv's own draft; its `$schema` names the https form of the URI, which Ajv does not.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<
      string,
      unknown
    >;
    const validate = ajv.compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema itself is strict about keys: a misspelt one is refused.
    expect(validate({ services: { api: { image: 'x', enviroment: {} } } })).toBe(false);
  });

  it('runs every service from the one image, as the manifests do, after the schema step', () => {
    const images = singleNodeImages();
    for (const service of SERVICES) {
      const entry = compose.services[service.name];
      expect(entry?.command, service.name).toEqual(['node', imageEntry(service)]);
      expect(entry?.image, service.name).toBe(images.get('mailkeep'));
      expect(entry?.depends_on, service.name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(compose.services.migrate?.command).toEqual(['node', 'apps/mailkeep/dist/main.js', 'migrate']);
    for (const dependency of ['nats', 'postgres', 'minio']) {
      expect(compose.services[dependency]?.image, dependency).toBe(images.get(dependency));
    }
  });

  it('sets every variable each service reads, none it does not, with the manifests’ values', () => {
    const fromImage = imageEnv();
    for (const service of SERVICES) {
      const environment = compose.services[service.name]?.environment ?? {};
      const set = [...Object.keys(environment), ...Object.keys(fromImage)].filter((n) =>
        n.startsWith('MAILKEEP_'),
      );
      const reads = variablesOf(service);
      expect(
        reads.filter((n) => !set.includes(n) && !(n in OPTIONAL_IN_DEPLOYMENT)),
        service.name,
      ).toEqual([]);
      expect(
        Object.keys(environment).filter((n) => n.startsWith('MAILKEEP_') && !reads.includes(n)),
        service.name,
      ).toEqual([]);
      for (const [name, value] of Object.entries(environment)) {
        if (name in CONFIG_MAP && !value.includes('${') && name !== 'MAILKEEP_S3_ENDPOINT') {
          expect(value, `${service.name} ${name}`).toBe(CONFIG_MAP[name]);
        }
      }
      expect(environment.NODE_OPTIONS, service.name).toBe(service.nodeOptions?.join(' '));
    }
  });

  it('lists every variable it needs in deploy/README.md', () => {
    const readme = readFileSync(deploy('README.md'), 'utf8');
    const needed = new Set([...composeText.matchAll(/\$\{(\w+)/g)].map((match) => match[1] as string));
    expect(needed.size).toBeGreaterThan(10);
    expect([...needed].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(deploy('Dockerfile'), 'utf8');
  const stages = dockerfile.split(/\n(?=FROM )/).filter((stage) => stage.startsWith('FROM '));
  const last = stages.at(-1) ?? '';

  it('builds in stages from the lock file, and the image runs production dependencies only, as a user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The last stage takes files from an earlier stage only: no compiler, no sources, no context.
    expect(last.match(/^COPY .*/gm)?.every((line) => line.includes('--from='))).toBe(true);
    expect(last).toMatch(/^USER node$/m);
    expect(last).toMatch(/^HEALTHCHECK .*apps\/mailkeep\/dist\/healthcheck\.js/m);
  });

  it('uses the Node version the project pins', () => {
    const pinned = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        devDependencies: Record<string, string>;
      }
    ).devDependencies.node;
    const bases = stages
      .map((stage) => stage.split('\n', 1)[0])
      .filter((from) => !/^FROM build\b/.test(from ?? ''));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const from of bases) expect(from).toMatch(new RegExp(`^FROM node:${pinned}-bookworm-slim`));
  });

  it('leaves dependencies, build output and history out of the build context', () => {
    const ignored = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
