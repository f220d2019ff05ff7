import { freePort } from './free-port.js';
import { type PrivateNatsServer, startNatsServer } from './nats-server.js';
import { waitFor } from './wait-for.js';

export interface NatsClusterNode extends PrivateNatsServer {
  /** The server name JetStream reports as a stream's leader or replica (`n1`, `n2`, …). */
  readonly name: string;
}

export interface RunningNatsCluster {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL: what MAILKEEP_NATS_URL lists, so clients move to a survivor. */
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

/**
 * A NATS cluster of `size` nodes with JetStream on loopback, as a production cluster runs: every
 * node routes to every other, each has its own store, and JetStream replicates streams across
 * them (Raft). Resolves once every node reports JetStream healthy, i.e. the meta group elected a
 * leader and each node caught up with it.
 */
export async function startNatsCluster(options: { size?: number } = {}): Promise<RunningNatsCluster> {
  const size = options.size ?? 3;
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({
      client: await freePort(),
      route: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = ports.map((port) => `nats://127.0.0.1:${port.route}`).join(',');
  const clusterName = `mailkeep-test-${ports[0]?.client}`;
  const nodes = await Promise.all(
    ports.map(async (port, index) => {
      const name = `n${index + 1}`;
      const server = await startNatsServer({
        port: port.client,
        extraArgs: [
          ...['--server_name', name, '-m', String(port.monitor), '--cluster_name', clusterName],
          ...['--cluster', `nats://127.0.0.1:${port.route}`, '--routes', routes],
        ],
      });
      return Object.assign(server, { name });
    }),
  );
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    await waitFor(
      async () => {
        const health = await Promise.all(
          ports.map((port) =>
            fetch(`http://127.0.0.1:${port.monitor}/healthz`).then(
              (reply) => reply.ok,
              () => false,
            ),
          ),
        );
        return health.every(Boolean);
      },
      { timeoutMs: 30_000, intervalMs: 200, description: `a ${size}-node NATS cluster with JetStream` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, urls: nodes.map((node) => node.url), stop };
}
