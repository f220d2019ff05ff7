import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import {
  CONNECTOR_COMMANDS_STREAM,
  DEFAULT_PORT,
  LDAP_DEFAULT_PORTS,
  workQueueDurable,
} from '@mailkeep/contracts';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

import { CONFIG_MAP, renderKubernetesBase } from './kubernetes-base.js';
import {
  connectorType,
  imageEntry,
  isConnectorPool,
  OPTIONAL_IN_DEPLOYMENT,
  SERVICES,
  variablesOf,
} from './service-envs.js';

/**
 * deploy/kubernetes (issue 22, item 2): the base is what the service list and the services'
 * environment classes give; every overlay renders with kustomize, every object validates against
 * the Kubernetes and KEDA schemas, and the wiring holds (variables, secrets, the scaler's stream
 * and consumer, the NATS accounts).
 */
const KUBERNETES = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const OVERLAYS = readdirSync(`${KUBERNETES}overlays`);
const NATS_CONFIG = fileURLToPath(new URL('../../deploy/nats/nats-server.conf', import.meta.url));

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

interface Container {
  name: string;
  args?: string[];
  env?: EnvEntry[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: { requests?: object; limits?: object };
}

/** `kubectl kustomize` of an overlay, parsed (the test command installs kubectl when missing). */
export function renderOverlay(overlay: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', `${KUBERNETES}overlays/${overlay}`], {
    encoding: 'utf8',
  });
  return parseAllDocuments(text).map((document) => document.toJSON() as K8sObject);
}

function podSpecOf(object: K8sObject): { containers: Container[] } | undefined {
  const spec = object.spec as { template?: { spec?: { containers: Container[] } } } | undefined;
  return spec?.template?.spec;
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);

/** The labels of a Deployment's pods, which network policies select on. */
function podLabelsOf(objects: K8sObject[], name: string): Record<string, string> {
  const spec = byKind(objects, 'Deployment').find((d) => d.metadata.name === name)?.spec as
    { template: { metadata: { labels: Record<string, string> } } } | undefined;
  return spec?.template.metadata.labels ?? {};
}

interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  egress?: { ports?: { port: number }[] }[];
}

/** The ports a Deployment's pods may connect to: the egress rules of every policy selecting them. */
function reachablePorts(objects: K8sObject[], name: string): number[] {
  const labels = podLabelsOf(objects, name);
  return byKind(objects, 'NetworkPolicy')
    .map((policy) => policy.spec as unknown as PolicySpec)
    .filter((spec) =>
      Object.entries(spec.podSelector.matchLabels ?? {}).every(([key, value]) => labels[key] === value),
    )
    .flatMap((spec) => (spec.egress ?? []).flatMap((rule) => (rule.ports ?? []).map((p) => p.port)));
}

/** The model class of an object's apiVersion and kind: kubernetes-models, or KEDA's. */
async function modelOf(object: K8sObject): Promise<new (data: object) => { validate(): void }> {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const path = group === '' ? `${version}/${object.kind}` : `${group}/${version}/${object.kind}`;
  const module = (await import(
    /* @vite-ignore */ `${group === 'keda.sh' ? '@kubernetes-models/keda' : 'kubernetes-models'}/${path}`
  )) as Record<string, unknown>;
  return module[object.kind] as new (data: object) => { validate(): void };
}

const secretsExample = parseAllDocuments(readFileSync(`${KUBERNETES}secrets.example.yaml`, 'utf8')).map(
  (document) => document.toJSON() as K8sObject,
);

describe('deploy/kubernetes/base', () => {
  it('is generated from the service list and the services’ environment (npx vitest run test/deploy -u)', async () => {
    for (const [file, text] of Object.entries(renderKubernetesBase())) {
      await expect(text).toMatchFileSnapshot(`${KUBERNETES}${file}`);
    }
  });
});

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  let objects: K8sObject[] = [];
  // Rendered when its tests run, after the base test above has (re)written the base.
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  it('renders, and every object validates against the Kubernetes and KEDA schemas', async () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) {
      const Model = await modelOf(object);
      expect(() => new Model(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('runs every service as a Deployment with probes, resources and a locked-down security context', () => {
    const deployments = byKind(objects, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const deployment of deployments) {
      const [container] = podSpecOf(deployment)?.containers ?? [];
      const name = deployment.metadata.name;
      const service = SERVICES.find((s) => s.name === name);
      expect(service, name).toBeDefined();
      if (service) expect(container?.args, name).toEqual(['node', imageEntry(service)]);
      expect(container?.livenessProbe, name).toBeDefined();
      expect(container?.readinessProbe, name).toBeDefined();
      expect(container?.resources?.requests, name).toBeDefined();
      expect(container?.resources?.limits, name).toBeDefined();
      expect(container?.securityContext, name).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
    expect(
      byKind(objects, 'PodDisruptionBudget')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(SERVICES.map((s) => s.name).sort());
  });

  it('sets every variable each service reads, and none it does not read', () => {
    const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('mailkeep-config'));
    for (const service of SERVICES) {
      const deployment = byKind(objects, 'Deployment').find((d) => d.metadata.name === service.name);
      const env = podSpecOf(deployment as K8sObject)?.containers[0]?.env ?? [];
      const set = env.map((entry) => entry.name).filter((name) => name.startsWith('MAILKEEP_'));
      const reads = variablesOf(service);
      expect(
        reads.filter((name) => !set.includes(name) && !(name in OPTIONAL_IN_DEPLOYMENT)),
        service.name,
      ).toEqual([]);
      expect(
        set.filter((name) => !reads.includes(name)),
        service.name,
      ).toEqual([]);
      for (const entry of env) {
        const ref = entry.valueFrom?.configMapKeyRef;
        if (ref) expect(config?.data?.[ref.key], `${service.name} ${entry.name}`).toBeDefined();
      }
    }
    expect(Object.keys(config?.data ?? {}).sort()).toEqual(Object.keys(CONFIG_MAP).sort());
  });

  it('references only secrets and keys that secrets.example.yaml declares, and every one of them', () => {
    const declared = new Set(
      secretsExample.flatMap((secret) =>
        Object.keys(secret.stringData ?? {}).map((key) => `${secret.metadata.name}/${key}`),
      ),
    );
    const referenced = new Set<string>();
    for (const object of objects) {
      const spec = podSpecOf(object);
      for (const container of spec?.containers ?? []) {
        for (const entry of container.env ?? []) {
          const ref = entry.valueFrom?.secretKeyRef;
          if (ref) referenced.add(`${ref.name}/${ref.key}`);
        }
      }
    }
    expect([...referenced].filter((ref) => !declared.has(ref))).toEqual([]);
    // The production overlay has no PostgreSQL or NATS server of its own to read their passwords.
    if (overlay === 'single-node') expect([...declared].filter((ref) => !referenced.has(ref))).toEqual([]);
  });

  it('scales each connector pool with KEDA on its real work-queue stream and consumer', () => {
    const scaled = byKind(objects, 'ScaledObject');
    const pools = SERVICES.filter(isConnectorPool);
    expect(scaled.map((s) => s.metadata.name).sort()).toEqual(pools.map((p) => p.name).sort());
    // The account that holds the streams in deploy/nats/nats-server.conf.
    const account = /accounts\s*\{\s*(\w+)\s*\{/.exec(readFileSync(NATS_CONFIG, 'utf8'))?.[1];
    for (const pool of pools) {
      const spec = scaled.find((s) => s.metadata.name === pool.name)?.spec as {
        scaleTargetRef: { name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
      expect(spec.scaleTargetRef.name).toBe(pool.name);
      expect(spec.minReplicaCount).toBeGreaterThanOrEqual(0);
      expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount);
      expect(spec.triggers.map((trigger) => trigger.type)).toEqual(['nats-jetstream']);
      expect(spec.triggers[0]?.metadata).toMatchObject({
        account,
        stream: CONNECTOR_COMMANDS_STREAM.name,
        consumer: workQueueDurable(connectorType(pool)),
      });
      expect(spec.triggers[0]?.metadata.natsServerMonitoringEndpoint).toMatch(/:8222$/);
    }
  });

  it('runs the migrations as a Job with the settings the services start with', () => {
    const [job] = byKind(objects, 'Job');
    const container = podSpecOf(job as K8sObject)?.containers[0];
    expect(container?.args).toEqual(['node', 'apps/mailkeep/dist/main.js', 'migrate']);
    expect(container?.env?.map((e) => e.name)).toEqual(
      expect.arrayContaining(['MAILKEEP_DATABASE_URL', 'MAILKEEP_ENV']),
    );
  });

  it('denies all traffic by default and lets each service reach only what it reads', () => {
    const policies = byKind(objects, 'NetworkPolicy');
    expect(policies.find((p) => p.metadata.name === 'default-deny')?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const labelsOf = (name: string) => podLabelsOf(objects, name);
    // The profiles service keeps no blobs and calls no mail server; connectors reach no database.
    expect(labelsOf('profiles')).not.toHaveProperty(['mailkeep.io/egress-s3']);
    expect(labelsOf('profiles')).not.toHaveProperty(['mailkeep.io/egress-mail']);
    expect(labelsOf('connector-imap')).not.toHaveProperty(['mailkeep.io/egress-postgres']);
    expect(labelsOf('connector-imap')).toHaveProperty(['mailkeep.io/egress-mail'], 'true');
  });

  it('lets the directory reach LDAP and HTTPS directories, and each pool its mail servers, on their default ports', () => {
    expect(reachablePorts(objects, 'directory')).toEqual(
      expect.arrayContaining([...Object.values(LDAP_DEFAULT_PORTS), 443]),
    );
    for (const pool of SERVICES.filter(isConnectorPool)) {
      expect(reachablePorts(objects, pool.name), pool.name).toEqual(
        expect.arrayContaining([...Object.values(DEFAULT_PORT), 443]),
      );
    }
    // Only the directory talks LDAP.
    expect(reachablePorts(objects, 'connector-imap')).not.toContain(LDAP_DEFAULT_PORTS['ldap-ssl']);
  });

  if (overlay === 'single-node') {
    it('runs NATS with the users and permissions of deploy/nats, one replica of each stream', () => {
      const natsConfig = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('nats-config'));
      expect(natsConfig?.data?.['nats-server.conf']).toBe(readFileSync(NATS_CONFIG, 'utf8'));
      const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('mailkeep-config'));
      expect(config?.data?.MAILKEEP_NATS_REPLICAS).toBe('1');
    });
  } else {
    it('keeps every stream and KV bucket on three NATS servers', () => {
      const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('mailkeep-config'));
      expect(config?.data?.MAILKEEP_NATS_REPLICAS).toBe('3');
    });
  }
});
