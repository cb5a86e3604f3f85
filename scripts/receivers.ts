/**
 * Real receivers on loopback for the product's outbound messages: an SMTP server that parses what it
 * accepts, and an HTTP server that records webhook calls. Both can be told to misbehave. Used by the tests,
 * the benchmark's delivery modes and the fault suite (development dependencies: smtp-server, mailparser).
 */
import { simpleParser } from 'mailparser';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Threading headers: what the message answers. */
  inReplyTo: string;
  references: string[];
}

export interface SmtpReceiver {
  url: string;
  messages: ReceivedMail[];
  /**
   * While set, each message is recorded as received (it reached the server) but never acknowledged, as when
   * a sender dies between handing over the message and hearing the answer.
   */
  hold: boolean;
  /**
   * Takes the server away and brings it back on the same port: `down` refuses connections, `blackhole`
   * accepts them and never says a word, `up` is a working server again.
   */
  become(state: 'up' | 'down' | 'blackhole'): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const port = await freePort();
  let stop: () => Promise<void> = () => Promise.resolve();
  const receiver: SmtpReceiver = {
    url: `smtp://127.0.0.1:${port}`,
    messages: [],
    hold: false,
    async become(state) {
      await stop();
      stop = () => Promise.resolve();
      if (state === 'up') stop = await listenSmtp(receiver, port);
      if (state === 'blackhole') stop = await listenSilently(port);
    },
    close: () => stop(),
  };
  await receiver.become('up');
  return receiver;
}

/** A working SMTP server on the port, recording what it accepts; resolves to what stops it. */
async function listenSmtp(receiver: SmtpReceiver, port: number): Promise<() => Promise<void>> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      simpleParser(stream).then(
        (mail) => {
          receiver.messages.push({
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
            inReplyTo: mail.inReplyTo ?? '',
            references: typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []),
          });
          if (!receiver.hold) callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // A sender killed mid-conversation (the fault suite SIGKILLs workers) resets its connection: the server
  // emits that as an 'error', which without a listener would end the whole process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return () =>
    new Promise<void>((resolve) => {
      // Held conversations would keep close() waiting for ever.
      (server as unknown as { connections: Set<{ close(): void }> }).connections.forEach((c) => c.close());
      server.close(() => resolve());
    });
}

/** Accepts connections on the port and never answers: a black-holed mail server. */
async function listenSilently(port: number): Promise<() => Promise<void>> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

export interface WebhookCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  baseUrl: string;
  calls: WebhookCall[];
  /**
   * How it answers from now on: `ok` (204, or 500 on paths starting with /fail, 400 on paths starting with
   * /refuse), `fail` (500 to everything), or `slow` (204, after `slowMs`).
   */
  mode: 'ok' | 'fail' | 'slow';
  slowMs: number;
  /** The distinct delivery ids it has seen (a receiver deduplicates by X-OMS-Delivery). */
  deliveryIds(): Set<string>;
  close(): Promise<void>;
}

/** Records every call and answers as its `mode` says. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const answer = () => {
        if (response.destroyed) return;
        const path = request.url ?? '';
        response.statusCode =
          receiver.mode === 'fail' || path.startsWith('/fail') ? 500 : path.startsWith('/refuse') ? 400 : 204;
        response.end();
      };
      if (receiver.mode === 'slow') setTimeout(answer, receiver.slowMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    mode: 'ok',
    slowMs: 10_000,
    deliveryIds: () => new Set(calls.map((call) => String(call.headers['x-oms-delivery']))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
