import { IncomingHttpHeaders, IncomingMessage, ServerResponse, createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { mulberry32 } from '../../bench/mulberry32';

/** What the proxy can do to one request instead of (or on top of) forwarding it. */
export type FaultKind = 's3SlowDown' | 's3InternalError' | 'reset' | 'truncatedBody' | 'sqsThrottling';

export interface FaultProxyOptions {
  /** moto_server's endpoint: every request is forwarded there. */
  target: string;
  /** Seeds the fault draws, so a failing run can be replayed. */
  seed: number;
  /** Chance in [0, 1] that a request to S3 or SQS gets a fault. */
  rate: number;
  /** The faults drawn from, evenly among those that fit the request (truncation only to S3 object GETs, throttling only to SQS). */
  kinds: readonly FaultKind[];
}

export interface FaultProxy {
  /** Point AWS_ENDPOINT_URL here. */
  endpoint: string;
  /** Faults injected so far, by kind. */
  injected: Record<FaultKind, number>;
  /** Requests forwarded to moto (including truncated ones). */
  forwarded: number;
  /** The next `count` requests `matches` selects get `kind`, whatever the rate draws: more faults in a row than the SDK retries. */
  failNext(matches: (request: FaultRequest) => boolean, kind: FaultKind, count: number): void;
  /** Stops injecting faults (requests are still forwarded). */
  calm(): void;
  stop(): Promise<void>;
}

/** What a test may select a request by. */
export interface FaultRequest {
  service: 's3' | 'sqs' | 'other';
  method: string;
  /** Path and query, as sent: /bucket/key?versionId=... for path-style S3. */
  url: string;
  /** SQS: the action from X-Amz-Target (ReceiveMessage, SendMessageBatch, ...). */
  action?: string;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of moto_server that fails a seeded share of S3 and SQS requests
 * the way the services do under load: S3 503 SlowDown and 500 InternalError, a connection reset
 * before the request reaches the service, a GET whose body stops halfway (headers promise the whole
 * length), and SQS throttling. Glue, Athena and ECS calls pass untouched.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(options.seed);
  const injected: Record<FaultKind, number> = { s3SlowDown: 0, s3InternalError: 0, reset: 0, truncatedBody: 0, sqsThrottling: 0 };
  const forced: Array<{ matches: (request: FaultRequest) => boolean; kind: FaultKind; count: number }> = [];
  let rate = options.rate;
  let forwarded = 0;
  const target = new URL(options.target);

  const choose = (request: FaultRequest): FaultKind | undefined => {
    const force = forced.find((f) => f.count > 0 && f.matches(request) && applies(f.kind, request));
    if (force) {
      force.count--;
      return force.kind;
    }
    if (request.service === 'other' || rate === 0) return undefined;
    // Two draws per request whatever the outcome, so the sequence depends only on the request order.
    const hit = random() < rate;
    const fitting = options.kinds.filter((kind) => applies(kind, request));
    const pick = fitting[Math.floor(random() * fitting.length)];
    return hit ? pick : undefined;
  };

  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const described = describe(request);
      const fault = choose(described);
      if (fault) injected[fault]++;
      switch (fault) {
        case 'reset':
          request.socket.destroy();
          return;
        case 's3SlowDown':
          return s3Error(response, 503, 'SlowDown', 'Please reduce your request rate.');
        case 's3InternalError':
          return s3Error(response, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        case 'sqsThrottling':
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'RequestThrottled;Sender' });
          response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded' }));
          return;
        default: {
          forwarded++;
          const upstream = await forward(target, request, body).catch((error: unknown) => error as Error);
          if (upstream instanceof Error) {
            request.socket.destroy();
            return;
          }
          response.writeHead(upstream.status, upstream.headers);
          if (fault === 'truncatedBody' && upstream.body.length > 1) {
            // The headers promise every byte; half arrive, then the connection drops.
            response.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)), () => request.socket.destroy());
            return;
          }
          response.end(upstream.body);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    get forwarded() {
      return forwarded;
    },
    failNext(matches, kind, count) {
      forced.push({ matches, kind, count });
    },
    calm() {
      rate = 0;
      forced.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function applies(kind: FaultKind, request: FaultRequest): boolean {
  switch (kind) {
    case 's3SlowDown':
    case 's3InternalError':
      return request.service === 's3';
    case 'truncatedBody':
      return request.service === 's3' && request.method === 'GET' && isObjectGet(request.url);
    case 'sqsThrottling':
      return request.service === 'sqs';
    case 'reset':
      return request.service !== 'other';
  }
}

/** GET /bucket/key[?versionId=...]: an object's bytes, not a listing, tags or an ACL. */
function isObjectGet(url: string): boolean {
  const [pathname = '', query = ''] = url.split('?');
  return pathname.split('/').filter(Boolean).length >= 2 && query.split('&').every((part) => part === '' || part.startsWith('versionId=') || part.startsWith('x-id='));
}

function describe(request: IncomingMessage): FaultRequest {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const amzTarget = request.headers['x-amz-target'];
  if (typeof amzTarget === 'string') {
    const [prefix, action] = amzTarget.split('.');
    return prefix === 'AmazonSQS' ? { service: 'sqs', method, url, ...(action ? { action } : {}) } : { service: 'other', method, url };
  }
  if (url.startsWith('/moto-api')) return { service: 'other', method, url };
  return { service: 's3', method, url };
}

function s3Error(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`);
}

/** The request, byte for byte, to moto; its whole answer (status, headers as sent, body). */
function forward(target: URL, request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
      (answer) => {
        readBody(answer).then((payload) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: payload }), reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
