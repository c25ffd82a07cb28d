// The load that runs through the database outage: `clients` writers creating tasks, one updater
// patching one task with an increasing version, and a /health poller. Every answer is recorded with
// when it was sent and answered, so the checks can tell before, during and after the outage apart.
import { bearer, type HttpAnswer, send } from "@authbridge/harness";
import { sleep } from "./report.ts";

const MAX_REQUESTS_PER_CLIENT = 5_000;

export interface Attempt {
  title: string;
  description: string;
  sentAt: number;
  answeredAt: number;
  a: HttpAnswer;
}

interface Probe {
  sentAt: number;
  answeredAt: number;
  status: number;
}

export interface Traffic {
  creates: Attempt[];
  /** `n`: the version written (`description` is `v<n>`). */
  updates: (Attempt & { n: number })[];
  health: Probe[];
  /** Stops every client and resolves when the last one has its answer. */
  stop(): Promise<void>;
}

export const now = () => performance.now();

/** Starts the writers, the updater of task `updatedId` and the health poller against backend `api`. */
export function startTraffic(api: string, token: string, updatedId: string, clients: number): Traffic {
  let running = true;
  const creates: Attempt[] = [];
  const updates: (Attempt & { n: number })[] = [];
  const health: Probe[] = [];

  const writer = async (c: number) => {
    for (let n = 0; running && n < MAX_REQUESTS_PER_CLIENT; n++) {
      const title = `w${c}-${n}`;
      const description = `written by client ${c}, attempt ${n}`;
      const sentAt = now();
      const a = await send({ method: "POST", url: `${api}/api/tasks`, headers: bearer(token), json: { title, description }, timeoutMs: 15_000 });
      creates.push({ title, description, sentAt, answeredAt: now(), a });
      if (a.status !== 201) await sleep(100); // an unavailable service is not hammered in a hot loop
    }
  };
  const updater = async () => {
    for (let n = 1; running && n < MAX_REQUESTS_PER_CLIENT; n++) {
      const description = `v${n}`;
      const sentAt = now();
      const a = await send({ method: "PATCH", url: `${api}/api/tasks/${updatedId}`, headers: bearer(token), json: { description }, timeoutMs: 15_000 });
      updates.push({ title: "", description, sentAt, answeredAt: now(), a, n });
      if (a.status !== 200) await sleep(100);
    }
  };
  const healthPoller = async () => {
    while (running) {
      const sentAt = now();
      const a = await send({ url: `${api}/health`, timeoutMs: 10_000 });
      health.push({ sentAt, answeredAt: now(), status: a.status });
      await sleep(200);
    }
  };
  const load = [...Array.from({ length: clients }, (_, c) => writer(c)), updater(), healthPoller()];
  return {
    creates,
    updates,
    health,
    async stop() {
      running = false;
      await Promise.all(load);
    },
  };
}
