/**
 * Command-line and environment options shared by the benchmarks.
 */

/**
 * `--scale <f>` (or `--scale=<f>`, or MAILKEEP_BENCH_SCALE): the fraction of the corpus
 * sizes to use. 1 is the report (20,000 / 100,000 messages); 0.01–0.02 is a smoke run of a few
 * hundred messages that proves every bench works in a minute or two.
 */
export function scaleFromArgs(argv: readonly string[] = process.argv.slice(2)): number {
  const flag = argv.findIndex((a) => a === '--scale' || a.startsWith('--scale='));
  const raw = flag < 0 ? process.env.MAILKEEP_BENCH_SCALE : (argv[flag]?.split('=')[1] ?? argv[flag + 1]);
  const scale = raw === undefined ? 1 : Number(raw);
  if (!(scale > 0 && scale <= 10)) throw new Error(`--scale must be a number in (0, 10], not ${raw}`);
  return scale;
}

/** `--name value` or `--name=value`. */
export function option(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  const flag = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (flag < 0) return undefined;
  return argv[flag]?.split('=')[1] ?? argv[flag + 1];
}

/** `--name` present. */
export function flag(name: string, argv: readonly string[] = process.argv.slice(2)): boolean {
  return argv.includes(`--${name}`);
}
