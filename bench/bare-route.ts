// The bare HTTP ceiling: Fastify with the same logger settings as Rapport and one route that
// returns a constant. Whatever Rapport's middleware costs shows as the gap to this.
import Fastify from 'fastify';
import { pino } from 'pino';

const app = Fastify({ loggerInstance: pino({ level: process.env.LOG_LEVEL ?? 'warn' }) });
app.get('/constant', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
