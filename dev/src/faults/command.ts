export async function faultsCommand(): Promise<number> {
  throw new Error("npm run faults is being built");
}
