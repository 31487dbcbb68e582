package io.github.callbacks4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark (dispatch, unimplemented hooks, training overhead, stateful metrics, the
 * optimizer step's parts, processor cost) and prints one Markdown table, with the machine it ran on.
 */
public final class RunAll {
  private RunAll() {}

  public static void main(String[] args) throws RunnerException, IOException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(DispatchBenchmark.class.getSimpleName())
        .include(UnimplementedHookBenchmark.class.getSimpleName())
        .include(TrainingOverheadBenchmark.class.getSimpleName())
        .include(PerBatchCallbackBenchmark.class.getSimpleName())
        .include(StatefulMetricsBenchmark.class.getSimpleName())
        .include(UpdaterBenchmark.class.getSimpleName())
        .addProfiler(GCProfiler.class);
    if (Smoke.ON) {
      options.forks(1).warmupIterations(0).measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    ProcessorBenchmark.Result processor =
        Smoke.ON ? ProcessorBenchmark.run(20, 1) : ProcessorBenchmark.run(500, 5);

    System.out.println();
    System.out.println("Machine: " + machine());
    System.out.println();
    System.out.println("| benchmark | parameters | time | allocated |");
    System.out.println("|---|---|---|---|");
    for (RunResult run : results) {
      Result<?> primary = run.getPrimaryResult();
      Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
      String benchmark = run.getParams().getBenchmark();
      String params = run.getParams().getParamsKeys().stream()
          .map(k -> k + "=" + run.getParams().getParam(k)).collect(Collectors.joining(", "));
      System.out.printf(Locale.ROOT, "| %s | %s | %.1f ± %.1f %s | %s |%n",
          benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1),
          params, primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
          alloc == null ? "" : String.format(Locale.ROOT, "%.0f B/op", alloc.getScore()));
    }
    System.out.printf(Locale.ROOT, "| ProcessorBenchmark | %d classes | %.2f s with the processor,"
        + " %.2f s without: %.2fx (no-op processor %.2f s; adapters compiled as plain sources"
        + " %.2f s) | |%n", processor.classes(), processor.withProcessor(), processor.without(),
        processor.ratio(), processor.noOpProcessor(), processor.adaptersAsSources());
  }

  private static String machine() throws IOException {
    String cpu = "unknown CPU";
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
    }
    Map<String, String> props = Map.of("java", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
        + System.getProperty("os.arch"));
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
        + props.get("java") + ", " + props.get("os");
  }
}
