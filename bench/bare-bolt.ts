/**
 * The yardstick: a bare @slack/bolt app whose /incident handler only calls ack(), with the same receiver
 * settings as Klaxon (HTTP receiver, signature verification, conversation store off). Prints its port as JSON.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events', processBeforeResponse: false });
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, convoStore: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/incident', async ({ ack }) => {
  await ack();
});
const server = (await app.start(Number(process.env.PORT ?? 0))) as Server;
console.log(JSON.stringify({ msg: 'klaxon is listening', port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
