package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.runtime.FitOptions;
import io.github.callbacks4j.runtime.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a training step's time goes, call by call: the reference MLP of {@link EngineBenchmark}
 * (784-256-128-10, Adam, batch 128) trains on random data of Fashion-MNIST's shape (op costs depend
 * on shapes, not values) under Java Flight Recorder, sampling the training thread every 10 ms
 * whether it runs Java or waits in native code (an ND4J op, an OpenBLAS product). Each
 * sample is charged to the engine's call it is in (the innermost callbacks4j frame and what it
 * called), so the table covers the whole step: the products that go to OpenBLAS directly, which
 * ND4J's own op profiler does not see, and the work around the step. Warm-up first: 15 epochs of
 * 200 steps (the JIT compiles the step after about 2,800 of them); then 20 epochs timed without the
 * recording and 20 recorded, to show what the sampling itself costs. Run with {@code
 * OMP_NUM_THREADS=1} and {@code -Dnd4j.generic} for the other rows of the README's table.
 */
public final class EngineProfile {
  private static final int BATCH = 128;
  private static final String PROJECT_PACKAGE = "io.github.callbacks4j.";

  private EngineProfile() {}

  public static void main(String[] args) throws IOException {
    int steps = Smoke.ON ? 5 : 200;
    int profiledEpochs = Smoke.ON ? 1 : 20;
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.rand(DataType.FLOAT, (long) BATCH * steps, 784);
    INDArray y = Nd4j.zeros(DataType.FLOAT, (long) BATCH * steps, 10);
    for (int row = 0; row < BATCH * steps; row++) {
      y.putScalar(row, row % 10, 1);
    }
    Sequential model = ReferenceModel.build(1, "accuracy");
    FitOptions warmUp = FitOptions.builder().epochs(Smoke.ON ? 1 : 15).batchSize(BATCH)
        .shuffle(false).verbose(0).build();
    model.fit(x, y, warmUp);
    FitOptions timed = FitOptions.builder().epochs(profiledEpochs).batchSize(BATCH).shuffle(false)
        .verbose(0).build();
    long plainStart = System.nanoTime();
    model.fit(x, y, timed);
    double plainMicros = (System.nanoTime() - plainStart) / 1e3 / ((long) steps * profiledEpochs);

    Path file = Files.createTempFile("engine-profile", ".jfr");
    long elapsed;
    try (Recording recording = new Recording()) {
      // Every 10 ms: at 1 ms the sampling's own pauses made the step half again longer.
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      long start = System.nanoTime();
      model.fit(x, y, timed);
      elapsed = System.nanoTime() - start;
      recording.stop();
      recording.dump(file);
    }
    Map<String, Integer> samples = samplesByCall(file, Thread.currentThread().getId());
    Files.delete(file);
    System.out.printf(Locale.ROOT, "%.0f µs a step without the recording;", plainMicros);
    print(samples, elapsed / 1e3 / ((long) steps * profiledEpochs));
  }

  /** The training thread's samples, counted by the engine call each was taken in. */
  private static Map<String, Integer> samplesByCall(Path file, long threadId) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      RecordedThread sampled = event.getThread("sampledThread");
      RecordedStackTrace stack = event.getStackTrace();
      if (sampled == null || sampled.getJavaThreadId() != threadId || stack == null) {
        continue;
      }
      String call = call(stack.getFrames());
      counts.merge(stack.isTruncated() && call.startsWith("(") ? "(stack too deep to place)" : call,
          1, Integer::sum);
    }
    return counts;
  }

  /**
   * "Caller › callee": the innermost callbacks4j method and the library method it called, or, for
   * the engine's own BLAS calls, the engine method that asked for the product and the product.
   */
  private static String call(List<RecordedFrame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      String method = name(frames.get(i));
      if (!method.startsWith(PROJECT_PACKAGE)) {
        continue;
      }
      String inner = i == 0 ? "(its own code)" : name(frames.get(i - 1));
      // The engine's BLAS calls are charged to the engine method that asked for them.
      int caller = i;
      while (caller + 1 < frames.size() && name(frames.get(caller)).contains(".Blas.")) {
        caller++;
      }
      if (caller > i) {
        inner = name(frames.get(caller - 1));
        method = name(frames.get(caller));
      }
      return shorten(method) + " › " + shorten(inner);
    }
    return "(outside callbacks4j: JVM, benchmark)";
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The simple class name and method: what the README's table names. */
  private static String shorten(String method) {
    int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
    return method.substring(dot + 1);
  }

  private static void print(Map<String, Integer> samples, double microsPerStep) {
    int total = samples.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, " %.0f µs recorded, %d samples of the training thread;"
        + " OMP_NUM_THREADS=%s%n%n", microsPerStep, total, System.getenv("OMP_NUM_THREADS"));
    System.out.println("| call (engine › library) | µs per step | share |");
    System.out.println("|---|---|---|");
    List<Map.Entry<String, Integer>> byCount = new ArrayList<>(samples.entrySet());
    byCount.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    int smallCalls = 0;
    int smallSamples = 0;
    for (Map.Entry<String, Integer> entry : byCount) {
      if (entry.getValue() * 200 < total) {
        smallCalls++;
        smallSamples += entry.getValue();
      } else {
        row(entry.getKey(), entry.getValue(), total, microsPerStep);
      }
    }
    row(smallCalls + " other calls, each under 0.5%", smallSamples, total, microsPerStep);
  }

  private static void row(String call, int samples, int total, double microsPerStep) {
    System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f%% |%n", call,
        microsPerStep * samples / total, 100.0 * samples / total);
  }
}
