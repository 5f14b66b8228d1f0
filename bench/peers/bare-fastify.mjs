// One Fastify route answering the same constant session-shaped JSON as bare-node.
import Fastify from "fastify";

const session = { email: process.env.SESSION_EMAIL ?? "session@bench.test", user_id: "bare" };
const app = Fastify({ logger: false });

app.get("/session", async () => session);
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
