import { describe, expect, it, vi } from "vitest";
import { createLeasedWorker } from "../../src/db/leased-queue.js";

interface Row {
  id: string;
}

/** A worker over an in-memory queue: `claimable` is what a claim would find in the table. */
function createWorker(claimable: Row[] = []) {
  const claims: number[] = [];
  const started: string[] = [];
  const delivered: string[] = [];
  let finishDelivery: (() => void) | undefined;
  const worker = createLeasedWorker<Row>({
    name: "test worker",
    log: { warn: vi.fn() } as never,
    leaseMs: 15_000,
    leaseRenewMs: 5_000,
    batch: 20,
    pollIntervalMs: 60_000,
    now: () => 0,
    claim: async (now) => {
      claims.push(now);
      return claimable.splice(0);
    },
    renew: async () => {},
    deliver: async (row) => {
      started.push(row.id);
      await new Promise<void>((resolve) => {
        finishDelivery = resolve;
      });
      delivered.push(row.id);
    },
  });
  return { worker, claims, started, delivered, finishDelivery: () => finishDelivery?.() };
}

describe("the leased queue's worker", () => {
  it("delivers a row leased when it was written without claiming it again", async () => {
    const { worker, claims, delivered, finishDelivery } = createWorker();
    worker.start();
    await vi.waitFor(() => expect(claims).toHaveLength(1)); // the poll at start finds nothing
    worker.deliverLeasedNow([{ id: "mail-1" }]);
    await vi.waitFor(() => finishDelivery());
    await vi.waitFor(() => expect(delivered).toEqual(["mail-1"]));
    expect(claims).toHaveLength(1);
    await worker.stop();
  });

  it("waits at stop for a row it is delivering, so none is left half sent", async () => {
    const { worker, delivered, finishDelivery } = createWorker();
    worker.start();
    worker.deliverLeasedNow([{ id: "mail-1" }]);
    const stopped = worker.stop();
    let hasStopped = false;
    void stopped.then(() => {
      hasStopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hasStopped).toBe(false);
    finishDelivery();
    await stopped;
    expect(delivered).toEqual(["mail-1"]);
  });

  it("leaves a row handed over after it stopped to its lease, for a later claim", async () => {
    const { worker, started } = createWorker();
    worker.start();
    await worker.stop();
    worker.deliverLeasedNow([{ id: "mail-1" }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([]);
  });
});
