import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { findFreePort } from "./postgres-cluster.js";

const START_TIMEOUT_MS = 10_000;

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const finish = (isUp: boolean) => {
      socket.destroy();
      resolve(isUp);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => finish(data.toString().startsWith("+PONG")));
    socket.once("error", () => finish(false));
  });
}

/** A throwaway redis-server this test owns (no persistence), to stop and restart at will. */
export async function startRedisServer() {
  const port = await findFreePort();
  let child: ChildProcess | undefined;

  async function start() {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills the server outright: clients see their connections drop, and refused reconnects. */
  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  }

  /** SIGSTOP / SIGCONT: a Redis that accepts connections but never answers. */
  function freeze(isFrozen: boolean) {
    if (child?.pid) process.kill(child.pid, isFrozen ? "SIGSTOP" : "SIGCONT");
  }

  // A test worker that dies must not leave its redis-server behind.
  process.once("exit", () => child?.kill("SIGKILL"));
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop, freeze };
}

export type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;
