/**
 * Runs a command's main function and exits with its code; an error exits 1 after printing
 * `describe(err)` (a clear message for errors the user can act on, the stack otherwise).
 */
export function runMain(main: () => Promise<number>, describe: (err: unknown) => string): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(describe(err));
      process.exit(1);
    },
  );
}
