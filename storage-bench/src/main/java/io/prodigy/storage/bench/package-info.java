/**
 * JMH benchmarks for prodigy-storage, each running the project's backends next to their baselines in one run:
 * the physical limit (a raw {@code FileChannel} with group commit), the embedded store a user would pick instead
 * (SQLite in WAL mode with {@code synchronous=FULL}) and, for queries, a raw Jackson parse of the same JSON lines.
 *
 * <p>Run them with {@code bench/run.sh}; {@code docs/perf.md} explains the results. Sub-packages: {@code support}
 * (fixtures, directories, extra metrics), {@code baseline} (the baselines), one package per benchmark family, and
 * {@code report} (turns JMH's JSON into the Markdown tables of docs/perf.md).
 */
package io.prodigy.storage.bench;
