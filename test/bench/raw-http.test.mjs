import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createGetPool, parseResponse } from "../../bench/raw-http.mjs";

const OK = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

/** A raw TCP server whose `onRequest(socket, index)` decides, per request on any socket, what happens. */
async function rawServer(onRequest) {
  let index = 0;
  const server = createServer((socket) => {
    socket.on("data", () => onRequest(socket, index++));
    socket.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, baseUrl: `http://127.0.0.1:${server.address().port}` };
}

describe("the open loop's keep-alive client", () => {
  let close = () => {};
  afterEach(() => close());

  it("sends a GET again on a new socket when the server closed the kept-alive one as it arrived", async () => {
    // The second request finds the first socket closing (the server's keep-alive timeout race).
    const { server, baseUrl } = await rawServer((socket, index) =>
      index === 1 ? socket.end() : socket.write(OK),
    );
    const pool = createGetPool({ baseUrl, path: "/" });
    close = () => {
      pool.close();
      server.close();
    };
    expect((await pool.get()).status).toBe(200);
    expect((await pool.get()).body).toBe("ok");
  });

  it("fails a request whose fresh socket closes without an answer", async () => {
    const { server, baseUrl } = await rawServer((socket) => socket.end());
    const pool = createGetPool({ baseUrl, path: "/" });
    close = () => {
      pool.close();
      server.close();
    };
    await expect(pool.get()).rejects.toThrow("connection closed");
  });

  it("does not send again once part of the answer arrived", async () => {
    const { server, baseUrl } = await rawServer((socket, index) =>
      index === 1 ? socket.end("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\npart") : socket.write(OK),
    );
    const pool = createGetPool({ baseUrl, path: "/" });
    close = () => {
      pool.close();
      server.close();
    };
    await pool.get();
    await expect(pool.get()).rejects.toThrow("connection closed");
  });
});

describe("the open loop's raw HTTP client", () => {
  it("waits for the whole body before parsing a response", () => {
    const response = Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel");
    expect(parseResponse(response)).toBeNull();
    const whole = Buffer.concat([response, Buffer.from("loHTTP/1.1 404")]);
    expect(parseResponse(whole)).toEqual({ status: 200, body: "hello", used: whole.length - 12 });
  });

  it("reassembles a chunked body", () => {
    const head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    const partial = Buffer.from(`${head}5\r\nhello\r\n`);
    expect(parseResponse(partial)).toBeNull();
    const whole = Buffer.concat([partial, Buffer.from("6\r\n world\r\n0\r\n\r\n")]);
    expect(parseResponse(whole)).toEqual({ status: 200, body: "hello world", used: whole.length });
  });

  it("reuses keep-alive sockets and returns each response's status and body", async () => {
    const sockets = new Set();
    const server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      const body = JSON.stringify({ email: "a@b.test", cookie: req.headers.cookie });
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const pool = createGetPool({
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      path: "/session",
      headers: { cookie: "s=1" },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const { status, body } = await pool.get();
        expect(status).toBe(200);
        expect(JSON.parse(body)).toEqual({ email: "a@b.test", cookie: "s=1" });
      }
      expect(sockets.size).toBe(1);
    } finally {
      pool.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
