package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.processor.CallbacksProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compile time of 500 annotated callback classes through {@code javax.tools}, with the processor
 * (validating, generating and compiling 500 adapters) and without it ({@code -proc:none}).
 */
public final class ProcessorBenchmark {
  /**
   * Median seconds: with the processor; without any ({@code -proc:none}); with a processor that
   * does nothing (javac's processing rounds alone); and without a processor but with the adapters
   * given as sources (the cost of compiling generated code, whoever generates it).
   */
  public record Result(int classes, double withProcessor, double without, double noOpProcessor,
      double adaptersAsSources) {
    double ratio() {
      return withProcessor / without;
    }
  }

  /** Claims the hook annotations and does nothing: what javac's processing rounds cost alone. */
  @javax.annotation.processing.SupportedAnnotationTypes("io.github.callbacks4j.*")
  static final class NoOpProcessor extends javax.annotation.processing.AbstractProcessor {
    @Override
    public javax.lang.model.SourceVersion getSupportedSourceVersion() {
      return javax.lang.model.SourceVersion.latestSupported();
    }

    @Override
    public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
        javax.annotation.processing.RoundEnvironment round) {
      return true;
    }
  }

  private enum Variant { PROCESSOR, NONE, NO_OP }

  private ProcessorBenchmark() {}

  public static void main(String[] args) throws IOException {
    Result result = run(500, 5);
    System.out.printf(Locale.ROOT, "%d classes: %.2f s with the processor, %.2f s without (%.2fx);"
        + " %.2f s with a no-op processor; %.2f s without one but with the adapters as sources%n",
        result.classes(), result.withProcessor(), result.without(), result.ratio(),
        result.noOpProcessor(), result.adaptersAsSources());
  }

  public static Result run(int classes, int rounds) throws IOException {
    Path sources = Files.createTempDirectory("callbacks4j-sources");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      Path file = sources.resolve("bench/Hooks" + i + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source(i), StandardCharsets.UTF_8);
      files.add(file);
    }
    Path generated = Files.createTempDirectory("callbacks4j-generated");
    compile(files, Variant.PROCESSOR, generated); // keeps the adapters' sources
    List<Path> withAdapters = new ArrayList<>(files);
    try (var adapters = Files.walk(generated)) {
      adapters.filter(p -> p.toString().endsWith("_Callback.java")).forEach(withAdapters::add);
    }
    for (int warmup = 0; warmup < 3; warmup++) { // javac's processing path needs warming up too
      compile(files, Variant.PROCESSOR, null);
      compile(files, Variant.NONE, null);
      compile(files, Variant.NO_OP, null);
      compile(withAdapters, Variant.NONE, null);
    }
    double[] with = new double[rounds];
    double[] without = new double[rounds];
    double[] noOp = new double[rounds];
    double[] asSources = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      with[r] = compile(files, Variant.PROCESSOR, null);
      without[r] = compile(files, Variant.NONE, null);
      noOp[r] = compile(files, Variant.NO_OP, null);
      asSources[r] = compile(withAdapters, Variant.NONE, null);
    }
    return new Result(classes, median(with), median(without), median(noOp), median(asSources));
  }

  /** A typical callback class: state, three hooks with metrics, a helper. */
  private static String source(int i) {
    return """
        package bench;

        import io.github.callbacks4j.*;
        import java.util.ArrayList;
        import java.util.List;
        import java.util.OptionalDouble;

        public class Hooks%1$d {
          private final List<Double> losses = new ArrayList<>();
          private double best = Double.POSITIVE_INFINITY;
          private int bestEpoch = -1;
          private long started;

          @OnTrainBegin
          void start(Params params) {
            started = System.nanoTime() + params.epochs();
            losses.clear();
          }

          @OnTrainBatchEnd
          void batch(int batch, @Metric("loss") double loss) {
            if (batch %% %2$d == 0) {
              losses.add(loss);
            }
          }

          @OnEpochEnd
          void epoch(int epoch, Logs logs, Model model, @Metric("val_loss") OptionalDouble valLoss) {
            double value = valLoss.orElse(logs.get("loss", Double.NaN));
            if (improved(value)) {
              best = value;
              bestEpoch = epoch;
            } else if (epoch - bestEpoch > 5) {
              model.stopTraining();
            }
          }

          private boolean improved(double value) {
            return value < best - 1e-4;
          }

          public List<Double> losses() {
            return losses;
          }
        }
        """.formatted(i, i % 7 + 1);
  }

  private static double compile(List<Path> files, Variant variant, Path sourceOutput)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = Files.createTempDirectory("callbacks4j-classes");
    Path sources = sourceOutput != null ? sourceOutput : out;
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
      List<String> options = new ArrayList<>(List.of("-d", out.toString(), "-s", sources.toString(),
          "-classpath", System.getProperty("java.class.path")));
      if (variant == Variant.NONE) {
        options.add("-proc:none");
      }
      JavaCompiler.CompilationTask task = javac.getTask(null, fileManager, null, options, null, units);
      if (variant == Variant.PROCESSOR) {
        task.setProcessors(List.of(new CallbacksProcessor()));
      } else if (variant == Variant.NO_OP) {
        task.setProcessors(List.of(new NoOpProcessor()));
      }
      long start = System.nanoTime();
      if (!task.call()) {
        throw new IllegalStateException("the generated benchmark sources do not compile");
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
