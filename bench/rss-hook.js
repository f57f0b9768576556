// Loaded with node --require by the benchmarks: prints the process's peak RSS at exit.
'use strict';
process.on('exit', () => process.stderr.write(`TSIBLE_PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`));
