// How long each bench phase runs: the full run, and --quick (a smoke run with shorter phases).
export interface Timing {
  rounds: number;
  roundMs: number;
  matrixMs: number;
  levels: number[];
  httpConcurrency: number;
}

export const FULL: Timing = { rounds: 5, roundMs: 2_000, matrixMs: 3_000, levels: [1, 8, 32], httpConcurrency: 16 };
export const QUICK: Timing = { rounds: 3, roundMs: 700, matrixMs: 1_000, levels: [1, 8], httpConcurrency: 8 };
