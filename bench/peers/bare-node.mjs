// The ceiling: node:http answering a constant session-shaped JSON body on every path.
import { createServer } from "node:http";

const body = JSON.stringify({ email: process.env.SESSION_EMAIL ?? "session@bench.test", user_id: "bare" });

createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), "127.0.0.1");
