// The one scenario runner: a world is started, each scenario runs in it in turn (one that throws is one failed
// check, and the next one still runs), and the world is stopped whatever happened. The scenarios on the dedicated
// faults cluster (command.ts) and those on the production topology (prod-run.ts) both run through it.
import type { Report } from "./report.ts";

export interface Scenario<World> {
  name: string;
  run: (world: World, report: Report) => Promise<unknown>;
}

/**
 * Runs `scenarios` in the world `start` makes. When the world does not start: with `worldName`, one failed check
 * under that name (the runs after it go on); without, the error goes to the caller.
 */
export async function runInWorld<World extends { stop(): Promise<void> }>(
  report: Report,
  start: () => Promise<World>,
  scenarios: Scenario<World>[],
  worldName?: string,
): Promise<void> {
  let world: World;
  try {
    world = await start();
  } catch (err) {
    if (worldName === undefined) throw err;
    report.crashed(worldName, err);
    return;
  }
  try {
    for (const s of scenarios) {
      try {
        await s.run(world, report);
      } catch (err) {
        report.crashed(s.name, err);
      }
    }
  } finally {
    await world.stop();
  }
}
