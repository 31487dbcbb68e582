package io.github.callbacks4j.benchmarks;

import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Callbacks;
import io.github.callbacks4j.Logs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training-batch hook call to {@code n} callbacks: through generated adapters in a
 * CallbackList, hand-written Callbacks in a CallbackList (the floor), hand-written Callbacks that
 * delegate to a target object as adapters do, {@code Method.invoke} (what
 * reflection-based event buses do) and {@code MethodHandle.invokeExact}; with and without
 * {@code @Metric} injection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {
  @Param({"1", "8", "32"})
  int callbacks;

  @Param({"false", "true"})
  boolean metric;

  private Callback generated;
  private Callback handwritten;
  private Callback delegating;
  private Method[] methods;
  private MethodHandle[] handles;
  private Object[] targets;
  private final Logs logs = Logs.of("accuracy", 0.8, "loss", 0.4, "size", 128);
  private int batch;

  @Setup
  public void setUp() throws ReflectiveOperationException {
    Class<?> type = metric ? Hooks.WithMetric.class : Hooks.Counting.class;
    Class<?> parameter = metric ? double.class : Logs.class;
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    CallbackList adapters = new CallbackList();
    CallbackList handwrittenList = new CallbackList();
    CallbackList delegatingList = new CallbackList();
    methods = new Method[callbacks];
    handles = new MethodHandle[callbacks];
    targets = new Object[callbacks];
    for (int i = 0; i < callbacks; i++) {
      targets[i] = type.getDeclaredConstructor().newInstance();
      adapters.append(targets[i]);
      handwrittenList.append(metric ? new Hooks.WithMetricCallback() : new Hooks.CountingCallback());
      delegatingList.append(new Hooks.Delegating(type.getDeclaredConstructor().newInstance()));
      methods[i] = type.getDeclaredMethod("batchEnd", int.class, parameter);
      methods[i].setAccessible(true);
      handles[i] = lookup.findVirtual(type, "batchEnd",
              MethodType.methodType(void.class, int.class, parameter))
          .asType(MethodType.methodType(void.class, Object.class, int.class, parameter));
    }
    generated = adapters;
    handwritten = handwrittenList;
    delegating = delegatingList;
    if (Callbacks.adapt(targets[0]).getClass().getSimpleName().indexOf("_Callback") < 0) {
      throw new IllegalStateException("the benchmark needs generated adapters");
    }
  }

  @Benchmark
  public void generatedAdapter() {
    generated.onTrainBatchEnd(batch++ & 1023, logs);
  }

  @Benchmark
  public void handwrittenCallback() {
    handwritten.onTrainBatchEnd(batch++ & 1023, logs);
  }

  @Benchmark
  public void handwrittenDelegating() {
    delegating.onTrainBatchEnd(batch++ & 1023, logs);
  }

  @Benchmark
  public void reflection() throws ReflectiveOperationException {
    int b = batch++ & 1023;
    for (int i = 0; i < methods.length; i++) {
      methods[i].invoke(targets[i], b, metric ? (Object) logs.get("loss", Double.NaN) : logs);
    }
  }

  @Benchmark
  public void methodHandle() throws Throwable {
    int b = batch++ & 1023;
    for (int i = 0; i < handles.length; i++) {
      if (metric) {
        handles[i].invokeExact(targets[i], b, logs.get("loss", Double.NaN));
      } else {
        handles[i].invokeExact(targets[i], b, logs);
      }
    }
  }
}
