// A second process for the request–reply integration test. Plain JavaScript on the built
// libraries, so it really is another Node process with its own NATS connection.
// usage: node echo-responder.mjs <nats-url> <subject> <queue>
import { ContractError, defineRequest } from '@mailkeep/contracts';
import { MessageBus } from '@mailkeep/messaging';
import { createLogger } from '@mailkeep/observability';
import { IsInt, IsString } from 'class-validator';

const [natsUrl, subject, queue] = process.argv.slice(2);

class EchoRequest {}
IsString()(EchoRequest.prototype, 'text');
class EchoReply {}
IsString()(EchoReply.prototype, 'text');
IsInt()(EchoReply.prototype, 'pid');

const ECHO = defineRequest({ subject, request: EchoRequest, reply: EchoReply });
const logger = createLogger({ service: 'echo-responder', level: 'warn', destination: process.stderr });
const bus = await MessageBus.connect({ servers: natsUrl, name: 'echo-responder', logger });

bus.serve(
  ECHO,
  async ({ text }) => {
    if (text === 'conflict') {
      throw new ContractError('CONFLICT', 'already there', {
        reason: 'in_use',
        references: [{ kind: 'schedule', id: 's-1' }],
      });
    }
    if (text === 'crash') throw new Error('secret internal detail');
    return { text: text.toUpperCase(), pid: process.pid };
  },
  { queue },
);
await bus.connection.flush();
process.stdout.write('ready\n');
process.on('SIGTERM', () => void bus.close().then(() => process.exit(0)));
