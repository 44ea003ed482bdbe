// Runs a benchmark's main and exits with its outcome: child processes, pools and timers a
// failed run leaves behind must not keep the process (and a CI shell) waiting.
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
