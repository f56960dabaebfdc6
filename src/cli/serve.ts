/**
 * `pipeline-studio serve <model.zip>`: serves an exported model over HTTP with node:http.
 * The request handling (validation, prediction log, metrics, drift) is src/serving's,
 * shared with the browser; prediction is src/ml's predictor, the same code the worker
 * uses, so a record is preprocessed exactly as in training.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importModelZip } from '../ml/zip';
import { initBackend } from '../runtime/backend';
import { nodeBackendPlatform } from '../runtime/backend-node';
import type { BackendInfo } from '../runtime/protocol';
import { createServingPredictor, servingModelFromArtifact } from '../serving/artifact';
import { createServingHandler, type ServingHandler, type ServingHandlerOptions, type ServingModel } from '../serving/handler';
import { DEFAULT_LOG_CAPACITY, type PredictionLogEntry, toJsonLine } from '../serving/log';
import { DEFAULT_LIMITS } from '../serving/validate';
import { type LogFs, RotatingJsonlFile } from './log-file';
import { errorMessage } from '../engine/errors';

export { RotatingJsonlFile } from './log-file';

export const SERVE_USAGE = `Usage: pipeline-studio serve <exported-model.zip> [options]

Serves the model over HTTP: POST /predict, GET /health, GET /metrics, GET /schema, GET /drift.

Options:
  --port <n>          port to listen on (default 8080; 0 picks a free one)
  --host <addr>       address to bind (default 127.0.0.1)
  --log <file>        append every prediction as a JSON line (rotated by size)
  --max-log <n>       predictions kept in memory for /drift and /metrics (default ${DEFAULT_LOG_CAPACITY})
  --log-bytes <n>     rotate the log file past this size (default 10000000), keeping 3 old files
  --max-body <bytes>  largest request body (default ${DEFAULT_LIMITS.maxBytes})
  --max-records <n>   most records per request (default ${DEFAULT_LIMITS.maxRecords})
  --strict            refuse unseen categories and unknown fields (default: accept with a warning)
  --no-batch          predict each request on its own (default: concurrent requests share network calls)
  --backend <name>    wasm or cpu (default wasm)
  -h, --help          show this help`;

export class UsageError extends Error {}

export interface ServeOptions {
  modelPath: string;
  port: number;
  host: string;
  logPath?: string;
  maxLog: number;
  logBytes: number;
  maxBody: number;
  maxRecords: number;
  strict: boolean;
  batching: boolean;
  backend: 'wasm' | 'cpu';
}

export function parseServeArgs(argv: string[]): ServeOptions | 'help' {
  const options: Partial<ServeOptions> = {};
  const positional: string[] = [];
  const integer = (flag: string, raw: string | undefined, min: number, max: number): number => {
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(`${flag} needs a whole number from ${min} to ${max} (got ${raw === undefined ? 'nothing' : JSON.stringify(raw)})`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const next = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--port':
        options.port = integer('--port', next(), 0, 65535);
        break;
      case '--host': {
        const host = next();
        if (!host) throw new UsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--log': {
        const path = next();
        if (!path) throw new UsageError('--log needs a file path');
        options.logPath = path;
        break;
      }
      case '--max-log':
        options.maxLog = integer('--max-log', next(), 1, 10_000_000);
        break;
      case '--log-bytes':
        options.logBytes = integer('--log-bytes', next(), 1024, Number.MAX_SAFE_INTEGER);
        break;
      case '--max-body':
        options.maxBody = integer('--max-body', next(), 16, 1024 * 1024 * 1024);
        break;
      case '--max-records':
        options.maxRecords = integer('--max-records', next(), 1, 10_000_000);
        break;
      case '--strict':
        options.strict = true;
        break;
      case '--no-batch':
        options.batching = false;
        break;
      case '--backend': {
        const backend = next();
        if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu (got ${JSON.stringify(backend ?? '')})`);
        options.backend = backend;
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('which model? give the path of an exported model .zip');
  if (positional.length > 1) throw new UsageError(`one model at a time (got ${positional.join(', ')})`);
  return {
    modelPath: positional[0],
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    logPath: options.logPath,
    maxLog: options.maxLog ?? DEFAULT_LOG_CAPACITY,
    logBytes: options.logBytes ?? 10_000_000,
    maxBody: options.maxBody ?? DEFAULT_LIMITS.maxBytes,
    maxRecords: options.maxRecords ?? DEFAULT_LIMITS.maxRecords,
    strict: options.strict ?? false,
    batching: options.batching ?? true,
    backend: options.backend ?? 'wasm',
  };
}

/**
 * Connection limits for a server that may be bound beyond loopback: a client gets 10 s to
 * send its headers and 30 s for the whole request (Node's default is 300 s for both), idle
 * keep-alive connections close after 5 s, and at most 256 connections are open at once
 * (more are refused at accept), so slow or idle clients cannot hold the server.
 */
export const CONNECTION_LIMITS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 256 };

export interface StartServerOptions extends ServingHandlerOptions {
  port?: number;
  host?: string;
  logPath?: string;
  logBytes?: number;
  /** The file system the log file is written through (tests pass a full disk). */
  logFs?: LogFs;
  /** Overrides CONNECTION_LIMITS (tests use short timeouts). */
  connections?: Partial<typeof CONNECTION_LIMITS>;
  /** Where problems the operator should know about are said (the log file failing, a torn line repaired), once each. */
  warn?: (line: string) => void;
}

function describeWriteError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC') return 'the disk is full (ENOSPC)';
  if (code === 'EDQUOT') return 'the disk quota is used up (EDQUOT)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'EROFS') return 'the file system is read-only (EROFS)';
  return errorMessage(error);
}

export interface RunningServer {
  url: string;
  port: number;
  handler: ServingHandler;
  close(): Promise<void>;
}

/** Reads a body up to `maxBytes`; past that it keeps draining (so the client reads the 413) but stores nothing. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<{ body: Uint8Array; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    // A declared length far over the limit is not worth draining: answer and hang up.
    if (Number.isFinite(declared) && declared > maxBytes * 16) {
      resolve({ body: new Uint8Array(0), tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        if (received > maxBytes * 16) request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve({ body: tooLarge ? new Uint8Array(0) : Buffer.concat(chunks), tooLarge }));
    request.on('close', () => resolve({ body: new Uint8Array(0), tooLarge }));
    request.on('error', reject);
  });
}

export async function startServer(model: ServingModel, options: StartServerOptions = {}): Promise<RunningServer> {
  const warn = options.warn ?? (() => undefined);
  const logFile = options.logPath ? new RotatingJsonlFile(options.logPath, options.logBytes, undefined, options.logFs) : null;
  if (logFile && logFile.repairedBytes > 0) {
    warn(`serve: ${logFile.path} ended with a torn line (${logFile.repairedBytes} bytes of an interrupted write): removed it, the log is valid JSON lines again`);
  }
  // Said once when log writes start failing, and once when they work again.
  let logFailing = false;
  let lostRecords = 0;
  const handler = createServingHandler(model, {
    ...options,
    onLogged: async (entries: PredictionLogEntry[]) => {
      logFile?.append(entries.map(toJsonLine));
      await options.onLogged?.(entries);
      if (logFailing) {
        logFailing = false;
        warn(`serve: the prediction log is written again (${lostRecords} record(s) were not logged)`);
      }
    },
    onLogError: (error, entries) => {
      lostRecords += entries.length;
      if (!logFailing) {
        logFailing = true;
        warn(
          `serve: cannot write the prediction log${logFile ? ` ${logFile.path}` : ''}: ${describeWriteError(error)}. ` +
            'Predictions are still answered; records not logged are counted in /metrics (pipeline_studio_log_write_failures_total) and /health (logFailures).',
        );
      }
      options.onLogError?.(error, entries);
    },
  });
  const limits = { ...CONNECTION_LIMITS, ...options.connections };

  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above (default 30 s): a quarter of the shorter one.
    connectionsCheckingInterval: Math.max(10, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4),
  };
  const server = createServer(serverOptions, (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      try {
        const method = request.method ?? 'GET';
        const { body, tooLarge } = method === 'POST' || method === 'PUT' ? await readBody(request, handler.limits.maxBytes) : { body: undefined, tooLarge: false };
        const answer = await handler.handle({ method, url: request.url ?? '/', body, bodyTooLarge: tooLarge, contentType: request.headers['content-type'] });
        const headers: Record<string, string | number> = { ...answer.headers, 'content-length': Buffer.byteLength(answer.body), 'cache-control': 'no-store' };
        if (tooLarge) headers.connection = 'close';
        response.writeHead(answer.status, headers);
        response.end(answer.body);
      } catch (error) {
        // The handler answers every expected failure itself; this is a bug, but the server stays up.
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(`${JSON.stringify({ error: `internal error: ${(error as Error).message}` })}\n`);
      }
    })();
  });
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    handler,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          logFile?.close();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Reads the zip a model was exported as. */
export async function readModelZip(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new UsageError(`cannot read model ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

export { type ArtifactPredictor, createServingPredictor, modelVersion, servingModelFromArtifact } from '../serving/artifact';

export interface OpenedModel {
  model: ServingModel;
  backend: BackendInfo;
  dispose(): void;
}

/** Loads tfjs on the chosen backend, then the exported zip, through src/ml's zip reader and predictor. */
export async function openModelZip(bytes: Uint8Array, backend: 'wasm' | 'cpu'): Promise<OpenedModel> {
  const tfjs = await import('@tensorflow/tfjs');
  const info = await initBackend(tfjs, backend, nodeBackendPlatform);
  const artifact = importModelZip(bytes);
  const predictor = await createServingPredictor(artifact);
  return { model: servingModelFromArtifact(artifact, predictor, info.name), backend: info, dispose: () => predictor.dispose() };
}

export interface ServeIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the server should stop (SIGINT/SIGTERM by default). */
  stopSignal?: Promise<void>;
  /** Told the running server once it listens (tests, the load benchmark). */
  onListening?(server: RunningServer): void;
}

const processIo: ServeIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `pipeline-studio serve …`: returns the exit code once the server has stopped. */
export async function serveMain(argv: string[], io: ServeIo = processIo): Promise<number> {
  let options: ServeOptions;
  try {
    const parsed = parseServeArgs(argv);
    if (parsed === 'help') {
      io.out(SERVE_USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`serve: ${error.message}\n\n${SERVE_USAGE}`);
    return 2;
  }

  let opened: OpenedModel;
  try {
    opened = await openModelZip(await readModelZip(options.modelPath), options.backend);
  } catch (error) {
    io.err(`serve: cannot load ${options.modelPath}: ${(error as Error).message}`);
    return 1;
  }
  let server: RunningServer;
  try {
    server = await startServer(opened.model, {
      port: options.port,
      host: options.host,
      logPath: options.logPath,
      logBytes: options.logBytes,
      logCapacity: options.maxLog,
      maxBytes: options.maxBody,
      maxRecords: options.maxRecords,
      unseenCategory: options.strict ? 'refuse' : 'warn',
      extraFields: options.strict ? 'refuse' : 'warn',
      batching: options.batching,
      warn: io.err,
    });
  } catch (error) {
    opened.dispose();
    io.err(`serve: cannot start on ${options.host}:${options.port}: ${(error as Error).message}`);
    return 1;
  }
  const { model } = opened;
  io.out(`Serving ${model.name} (version ${model.version}, ${model.target.task}) on ${server.url} with the ${opened.backend.name} backend`);
  io.out(`  POST ${server.url}/predict   GET /health  /metrics  /schema  /drift`);
  if (options.logPath) io.out(`  logging predictions to ${options.logPath}`);
  io.onListening?.(server);
  await (io.stopSignal ?? untilSignal());
  await server.close();
  opened.dispose();
  io.out('Stopped.');
  return 0;
}
