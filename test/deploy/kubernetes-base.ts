import {
  CONNECTOR_COMMANDS_STREAM,
  DEFAULT_PORT,
  LDAP_DEFAULT_PORTS,
  workQueueDurable,
} from '@mailkeep/contracts';
import { stringify } from 'yaml';

import {
  connectorType,
  imageEntry,
  isConnectorPool,
  OPTIONAL_IN_DEPLOYMENT,
  SERVICES,
  type ServiceEntry,
  variablesOf,
} from './service-envs.js';

/**
 * The generated part of deploy/kubernetes/base: one Deployment per service of the launcher's list
 * (apps/mailkeep/src/services.ts), a KEDA ScaledObject per connector pool, their disruption
 * budgets and network policies. Each container gets exactly the variables its service reads.
 * Adding a service or connector pool to that list and running
 * `npx vitest run test/deploy -u` brings the base up to date; the deploy test fails until then.
 */

/** The non-secret settings every service reads from the `mailkeep-config` ConfigMap. */
export const CONFIG_MAP: Readonly<Record<string, string>> = {
  MAILKEEP_ENV: 'production',
  MAILKEEP_NATS_REPLICAS: '1',
  MAILKEEP_METRICS_PORT: String(9464),
  MAILKEEP_HTTP_HOST: '0.0.0.0',
  MAILKEEP_HTTP_PORT: '8080',
  // A writable emptyDir: the root filesystem is read-only, blobs go to S3.
  MAILKEEP_DATA_DIR: '/var/lib/mailkeep',
  MAILKEEP_S3_ENDPOINT: 'http://minio:9000',
  MAILKEEP_S3_BUCKET: 'mailkeep',
  MAILKEEP_CONNECTOR_CONCURRENCY: '4',
};

/** Secrets by reference: the operator creates them (deploy/kubernetes/secrets.example.yaml). */
const SECRET_OF: Readonly<Record<string, (service: ServiceEntry) => { name: string; key: string }>> = {
  MAILKEEP_NATS_URL: (service) => ({ name: 'mailkeep-nats', key: `${service.natsUser}-url` }),
  MAILKEEP_DATABASE_URL: () => ({ name: 'mailkeep-database', key: 'url' }),
  MAILKEEP_S3_ACCESS_KEY: () => ({ name: 'mailkeep-s3', key: 'access-key' }),
  MAILKEEP_S3_SECRET_KEY: () => ({ name: 'mailkeep-s3', key: 'secret-key' }),
  MAILKEEP_MASTER_KEY: () => ({ name: 'mailkeep-keys', key: 'master-key' }),
  MAILKEEP_AUDIT_KEY: () => ({ name: 'mailkeep-keys', key: 'audit-key' }),
  MAILKEEP_BOOTSTRAP_API_KEY: () => ({ name: 'mailkeep-keys', key: 'bootstrap-api-key' }),
};

const API_PORT = 8080;
const METRICS_PORT = 9464;
const IMAGE = 'mailkeep';
const PART_OF = { 'app.kubernetes.io/part-of': 'mailkeep' };

function labelsOf(service: ServiceEntry) {
  return { 'app.kubernetes.io/name': service.name, ...PART_OF };
}

type EnvEntry =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }
  | { name: string; valueFrom: { configMapKeyRef: { name: string; key: string } } };

function envOf(service: ServiceEntry): EnvEntry[] {
  const env: EnvEntry[] = [];
  for (const name of variablesOf(service)) {
    const secret = SECRET_OF[name];
    if (secret) env.push({ name, valueFrom: { secretKeyRef: secret(service) } });
    else if (name in CONFIG_MAP)
      env.push({ name, valueFrom: { configMapKeyRef: { name: 'mailkeep-config', key: name } } });
    else if (!(name in OPTIONAL_IN_DEPLOYMENT)) {
      throw new Error(`${service.name} reads ${name}: map it in test/deploy/kubernetes-base.ts`);
    }
  }
  if (service.nodeOptions?.length) env.push({ name: 'NODE_OPTIONS', value: service.nodeOptions.join(' ') });
  return env;
}

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities (SPEC security). */
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  // The image's `node` user.
  runAsUser: 1000,
  runAsGroup: 1000,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The only places a container writes: the data directory and /tmp (the root filesystem is read-only). */
const WRITABLE_MOUNTS = [
  { name: 'data', mountPath: CONFIG_MAP.MAILKEEP_DATA_DIR },
  { name: 'tmp', mountPath: '/tmp' },
];
const WRITABLE_VOLUMES = [
  { name: 'data', emptyDir: {} },
  { name: 'tmp', emptyDir: {} },
];
const POD_SECURITY = { runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };

function probes(service: ServiceEntry) {
  const api = service.name === 'api';
  const port = api ? API_PORT : METRICS_PORT;
  const prefix = api ? '/api/v1/health' : '/health';
  return {
    startupProbe: { httpGet: { path: `${prefix}/live`, port }, periodSeconds: 2, failureThreshold: 60 },
    livenessProbe: { httpGet: { path: `${prefix}/live`, port }, periodSeconds: 10, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: `${prefix}/ready`, port }, periodSeconds: 5, failureThreshold: 3 },
  };
}

function resourcesOf(service: ServiceEntry) {
  // Connector workers stream mail: the benchmarked worker stays under 300 MiB with 4 mailboxes.
  return isConnectorPool(service)
    ? { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }
    : { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '512Mi' } };
}

function deployment(service: ServiceEntry) {
  const api = service.name === 'api';
  const port = api ? API_PORT : METRICS_PORT;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: {
      // Connector pools are sized by their ScaledObject; the others by the overlays.
      ...(!isConnectorPool(service) && { replicas: 1 }),
      selector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
      template: {
        metadata: {
          labels: {
            ...labelsOf(service),
            ...egressLabels(dependenciesOf(service)),
            ...(!api && { 'mailkeep.io/metrics': 'true' }),
          },
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(port),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          automountServiceAccountToken: false,
          securityContext: POD_SECURITY,
          // A task in flight is checkpointed and released on SIGTERM (connector kit); give it time.
          terminationGracePeriodSeconds: isConnectorPool(service) ? 60 : 30,
          containers: [
            {
              name: service.name,
              image: IMAGE,
              args: ['node', imageEntry(service)],
              ports: [{ name: api ? 'http' : 'metrics', containerPort: port }],
              env: envOf(service),
              ...probes(service),
              resources: resourcesOf(service),
              securityContext: CONTAINER_SECURITY,
              volumeMounts: WRITABLE_MOUNTS,
            },
          ],
          volumes: WRITABLE_VOLUMES,
        },
      },
    },
  };
}

/**
 * KEDA scales each connector pool on its work-queue consumer's pending messages (queue lag): one
 * worker per MAILKEEP_CONNECTOR_CONCURRENCY waiting tasks, from 0 (no task, no worker) to 10. The
 * overlays set the NATS monitoring endpoint, the minimum and the maximum.
 */
function scaledObject(service: ServiceEntry) {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: {
      scaleTargetRef: { name: service.name },
      minReplicaCount: POOL_SCALING.base.min,
      maxReplicaCount: POOL_SCALING.base.max,
      pollingInterval: 15,
      // A pool scaled to zero waits this long after its last task before it goes.
      cooldownPeriod: 300,
      triggers: workQueueTrigger(service, POOL_SCALING.base.monitoring),
    },
  };
}

/**
 * Where each deployment's pools scale between, and the NATS monitoring endpoint KEDA reads the
 * queue lag from. Zero workers is allowed (the base): a pool then answers no test-connection
 * until a task wakes it, so the overlays keep one.
 */
export const POOL_SCALING = {
  base: { min: 0, max: 10, monitoring: 'nats.mailkeep.svc.cluster.local:8222' },
  'single-node': { min: 1, max: 2, monitoring: 'nats.mailkeep.svc.cluster.local:8222' },
  // The NATS cluster in its own namespace (e.g. the NATS Helm chart's headless service).
  production: { min: 1, max: 20, monitoring: 'nats-headless.nats.svc.cluster.local:8222' },
} as const;

/** An overlay's scaling of every pool, as strategic-merge patches (kustomize 2 renders them too). */
function poolScalingPatches(overlay: Exclude<keyof typeof POOL_SCALING, 'base'>) {
  const scaling = POOL_SCALING[overlay];
  return SERVICES.filter(isConnectorPool).map((service) => ({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: service.name },
    spec: {
      minReplicaCount: scaling.min,
      maxReplicaCount: scaling.max,
      triggers: workQueueTrigger(service, scaling.monitoring),
    },
  }));
}

function workQueueTrigger(service: ServiceEntry, monitoring: string) {
  return [
    {
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: monitoring,
        account: 'MAILKEEP',
        stream: CONNECTOR_COMMANDS_STREAM.name,
        consumer: workQueueDurable(connectorType(service)),
        lagThreshold: CONFIG_MAP.MAILKEEP_CONNECTOR_CONCURRENCY,
        activationLagThreshold: '0',
        useHttps: 'false',
      },
    },
  ];
}

function disruptionBudget(service: ServiceEntry) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, labels: labelsOf(service) },
    // One pod at a time: a drained node never takes a whole service away.
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': service.name } } },
  };
}

/**
 * Each service may reach only what it needs. Policies are additive, so each dependency has one
 * egress policy that selects the pods labelled as its users (`mailkeep.io/egress-<dependency>`):
 * an overlay re-points PostgreSQL, S3 or NATS at external addresses by patching one policy.
 * Ingress: the api's port, and the metrics port for Prometheus. Everything else is denied.
 */
const ANYWHERE = [{ ipBlock: { cidr: '0.0.0.0/0' } }];

const EGRESS = {
  dns: {
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  },
  nats: { to: [podsNamed('nats')], ports: [{ protocol: 'TCP', port: 4222 }] },
  postgres: { to: [podsNamed('postgres')], ports: [{ protocol: 'TCP', port: 5432 }] },
  s3: { to: [podsNamed('minio')], ports: [{ protocol: 'TCP', port: 9000 }] },
  // Mail servers and mail APIs anywhere (the IMAP and POP3 ports of every protocol, HTTPS for EWS,
  // Graph and Gmail); the platform's egress policy (MAILKEEP_EGRESS_*) refuses private and loopback
  // addresses among them.
  mail: { to: ANYWHERE, ports: tcp(...Object.values(DEFAULT_PORT), 443) },
  // Microsoft Graph, Google's Admin SDK and their sign-in endpoints, for the directory's syncs.
  https: { to: ANYWHERE, ports: tcp(443) },
  // The tenants' LDAP servers and domain controllers, for the directory's ldap sync: the
  // well-known port of each protocol (a service set to another port needs a policy of its own).
  ldap: { to: ANYWHERE, ports: tcp(...Object.values(LDAP_DEFAULT_PORTS)) },
} as const;

type Dependency = keyof typeof EGRESS;

function tcp(...ports: number[]) {
  return [...new Set(ports)].map((port) => ({ protocol: 'TCP', port }));
}

function podsNamed(name: string) {
  return { podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } };
}

/** What a service talks to, from what it reads: a service without a database URL never gets PostgreSQL. */
export function dependenciesOf(service: ServiceEntry): Dependency[] {
  const reads = new Set(variablesOf(service));
  // The directory service: it reads where the Microsoft 365 and Google directories are.
  const syncsDirectories = !isConnectorPool(service) && reads.has('MAILKEEP_M365_GRAPH_URL');
  return [
    'dns' as const,
    'nats' as const,
    ...(reads.has('MAILKEEP_DATABASE_URL') ? (['postgres'] as const) : []),
    ...(reads.has('MAILKEEP_S3_ENDPOINT') ? (['s3'] as const) : []),
    ...(isConnectorPool(service) ? (['mail'] as const) : []),
    ...(syncsDirectories ? (['https', 'ldap'] as const) : []),
  ];
}

function egressLabels(dependencies: readonly Dependency[]): Record<string, string> {
  return Object.fromEntries(dependencies.map((dependency) => [`mailkeep.io/egress-${dependency}`, 'true']));
}

function networkPolicies() {
  const policy = (name: string, spec: object) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: PART_OF },
    spec,
  });
  return [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ...Object.entries(EGRESS).map(([dependency, rule]) =>
      policy(`egress-${dependency}`, {
        podSelector: { matchLabels: { [`mailkeep.io/egress-${dependency}`]: 'true' } },
        policyTypes: ['Egress'],
        egress: [rule],
      }),
    ),
    policy('ingress-api', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: API_PORT }] }],
    }),
    policy('ingress-metrics', {
      podSelector: { matchLabels: { 'mailkeep.io/metrics': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: METRICS_PORT }] }],
    }),
  ];
}

/**
 * The schema step before the services roll: `mailkeep migrate` applies every service's migrations
 * (each under its advisory lock) and exits. It reads what the services read to start.
 */
function migrationJob() {
  const migrator: ServiceEntry = { name: 'migrate', natsUser: 'api', entry: '' };
  const env = new Map<string, EnvEntry>();
  for (const service of SERVICES) {
    for (const entry of envOf(service)) {
      if (entry.name === 'MAILKEEP_NATS_URL' || entry.name === 'NODE_OPTIONS') continue;
      env.set(entry.name, entry);
    }
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'mailkeep-migrate',
      labels: { 'app.kubernetes.io/name': 'migrate', ...PART_OF },
      // Argo CD and Flux run it before the rest; with kubectl, apply it first (deploy/README.md).
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      },
    },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { ...labelsOf(migrator), ...egressLabels(['dns', 'postgres']) } },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: POD_SECURITY,
          containers: [
            {
              name: 'migrate',
              image: IMAGE,
              args: ['node', 'apps/mailkeep/dist/main.js', 'migrate'],
              env: [...env.values()],
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              securityContext: CONTAINER_SECURITY,
              volumeMounts: WRITABLE_MOUNTS,
            },
          ],
          volumes: WRITABLE_VOLUMES,
        },
      },
    },
  };
}

const apiService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api', ...PART_OF } },
  spec: {
    selector: { 'app.kubernetes.io/name': 'api' },
    ports: [{ name: 'http', port: API_PORT, targetPort: 'http' }],
  },
};

const HEADER =
  '# Generated from apps/mailkeep/src/services.ts by test/deploy/kubernetes-base.ts: do not edit;\n# regenerate with `npx vitest run test/deploy -u`. Change a deployment in an overlay.\n';

function documents(objects: readonly object[]): string {
  return HEADER + objects.map((object) => `---\n${stringify(object, { lineWidth: 0 })}`).join('');
}

/** The generated files of deploy/kubernetes, by path below it. */
export function renderKubernetesBase(): Record<string, string> {
  const pools = SERVICES.filter(isConnectorPool);
  return {
    'overlays/single-node/connector-pools.yaml': documents(poolScalingPatches('single-node')),
    'overlays/production/connector-pools.yaml': documents(poolScalingPatches('production')),
    'base/config.yaml': documents([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'mailkeep-config', labels: PART_OF },
        data: CONFIG_MAP,
      },
    ]),
    'base/services.yaml': documents([...SERVICES.map(deployment), apiService]),
    'base/connector-pools.yaml': documents(pools.map(scaledObject)),
    'base/disruption-budgets.yaml': documents(SERVICES.map(disruptionBudget)),
    'base/network-policies.yaml': documents(networkPolicies()),
    'base/migrate-job.yaml': documents([migrationJob()]),
  };
}
