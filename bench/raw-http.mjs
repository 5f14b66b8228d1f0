// A lean HTTP/1.1 keep-alive client for the open-loop session check: one pre-built request, a pool
// of sockets opened on demand, responses framed by Content-Length or chunked. fetch() costs several times more
// driver CPU per request, which would cap the rates the driver can offer.
import { connect } from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const REQUEST_TIMEOUT_MS = 10_000;
const SWEEP_INTERVAL_MS = 1_000;

/** Parses one response at the head of `buffer`: null until complete, else status, body and bytes used. */
export function parseResponse(buffer) {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd === -1) return null;
  const head = buffer.toString("latin1", 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + HEADER_END.length;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    if (buffer.length < end) return null;
    return { status, body: buffer.toString("utf8", bodyStart, end), used: end };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return parseChunked(buffer, status, bodyStart);
  throw new Error(`response framed neither by content-length nor chunked: ${head.slice(0, 200)}`);
}

/** A chunked body (RFC 9112 §7.1) without trailers: null until the last chunk has arrived. */
function parseChunked(buffer, status, bodyStart) {
  const chunks = [];
  let at = bodyStart;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd === -1) return null;
    const size = Number.parseInt(buffer.toString("latin1", at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error("bad chunk size");
    const dataStart = lineEnd + CRLF.length;
    if (size === 0) {
      if (buffer.length < dataStart + CRLF.length) return null;
      return { status, body: Buffer.concat(chunks).toString("utf8"), used: dataStart + CRLF.length };
    }
    if (buffer.length < dataStart + size + CRLF.length) return null;
    chunks.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + CRLF.length;
  }
}

class Connection {
  #socket;
  #buffer = Buffer.alloc(0);
  #pending = null;

  constructor(host, port) {
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.on("data", (chunk) => this.#onData(chunk));
    this.#socket.on("error", (error) => this.#fail(error));
    this.#socket.on("close", () => this.#fail(this.#closedError()));
    this.closed = false;
    this.reused = false;
  }

  send(request) {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, sentAt: performance.now(), answered: false };
      this.#socket.write(request);
    });
  }

  /**
   * A server may close an idle keep-alive socket just as a request goes out on it; a request that
   * got no byte of answer before the close may then be sent again (RFC 9112 §9.3.1: it is a GET).
   */
  #closedError() {
    const error = new Error("connection closed");
    error.isRetryable = this.#pending !== null && !this.#pending.answered;
    return error;
  }

  /** Fails the pending request if it has waited longer than the timeout (one sweep timer per pool). */
  expireIfOlderThan(deadline) {
    if (this.#pending && this.#pending.sentAt < deadline) this.#fail(new Error("timeout"));
  }

  #onData(chunk) {
    if (this.#pending) this.#pending.answered = true;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let parsed;
    try {
      parsed = parseResponse(this.#buffer);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (!parsed || !this.#pending) return;
    this.#buffer = this.#buffer.subarray(parsed.used);
    const { resolve } = this.#pending;
    this.#pending = null;
    resolve(parsed);
  }

  #fail(error) {
    this.closed = true;
    this.#socket.destroy();
    if (!this.#pending) return;
    const { reject } = this.#pending;
    this.#pending = null;
    reject(error);
  }

  close() {
    this.closed = true;
    this.#socket.destroy();
  }
}

/**
 * A pool sending the same GET over keep-alive sockets. `get()` resolves with {status, body};
 * the caller keeps at most as many requests in flight as it wants sockets.
 */
export function createGetPool({ baseUrl, path, headers = {} }) {
  const { hostname, port } = new URL(baseUrl);
  const lines = [`GET ${path} HTTP/1.1`, `host: ${hostname}:${port}`, "connection: keep-alive"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const request = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  const idle = [];
  const all = new Set();
  // One timer for every socket: a timer per request costs more driver CPU than the request itself.
  const sweep = setInterval(() => {
    const deadline = performance.now() - REQUEST_TIMEOUT_MS;
    for (const connection of all) connection.expireIfOlderThan(deadline);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  function takeIdle() {
    let connection = idle.pop();
    while (connection?.closed) connection = idle.pop();
    if (connection) connection.reused = true;
    return connection;
  }
  function open() {
    const connection = new Connection(hostname, Number(port));
    all.add(connection);
    return connection;
  }
  async function sendOn(connection) {
    try {
      const response = await connection.send(request);
      idle.push(connection);
      return response;
    } catch (error) {
      all.delete(connection);
      throw error;
    }
  }

  return {
    async get() {
      const connection = takeIdle() ?? open();
      try {
        return await sendOn(connection);
      } catch (error) {
        // Only a kept-alive socket can have been closed by the server while idle; a fresh one failing is real.
        if (!(connection.reused && error.isRetryable)) throw error;
        return sendOn(open());
      }
    },
    close() {
      clearInterval(sweep);
      for (const connection of all) connection.close();
      all.clear();
      idle.length = 0;
    },
  };
}
