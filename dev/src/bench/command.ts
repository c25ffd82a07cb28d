export async function benchCommand(): Promise<number> {
  throw new Error("npm run bench is being built");
}
