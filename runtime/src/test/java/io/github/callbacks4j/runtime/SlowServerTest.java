package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.callbacks.LambdaCallback;
import io.github.callbacks4j.callbacks.RemoteMonitor;
import io.github.callbacks4j.callbacks.StandardError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RemoteMonitor never holds training hostage: against real loopback servers that answer late or
 * never, train end waits at most {@code flushTimeout}, drops the rest with one warning that says
 * how many, and stops its sending thread. Every wait here is bounded.
 */
class SlowServerTest {
  private static final Digits DIGITS = Digits.load().head(8);
  private static final String SENDER_THREAD = "callbacks4j-RemoteMonitor";

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger received = new AtomicInteger();
  private volatile boolean slow = true;
  private HttpServer server;
  private ServerSocket silent;

  /** A server that holds each request until released (at most 20 s) while {@code slow}. */
  private String slowServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      if (slow) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServers() throws IOException {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    if (silent != null) {
      silent.close();
    }
  }

  private static long millisOf(Runnable run) {
    long start = System.nanoTime();
    run.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static boolean senderThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(SENDER_THREAD) && t.isAlive());
  }

  private static void assertSenderThreadEnds() throws InterruptedException {
    for (int i = 0; i < 100 && senderThreadAlive(); i++) {
      Thread.sleep(20);
    }
    assertTrue(!senderThreadAlive(), "the sending thread has ended");
  }

  private static void epochEnds(RemoteMonitor monitor, int epochs) {
    for (int epoch = 0; epoch < epochs; epoch++) {
      monitor.onEpochEnd(epoch, Logs.of("loss", 1.0 / (epoch + 1)));
    }
  }

  @Test
  void pendingSendsAreDroppedAfterTheFlushTimeoutWithOneWarning() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ofMillis(300)).build();
    epochEnds(monitor, 3);
    long[] millis = new long[1];
    String log = StandardError.of(() -> millis[0] = millisOf(() -> monitor.onTrainEnd(new Logs())));
    assertTrue(millis[0] >= 250 && millis[0] < 2000, "train end took " + millis[0] + " ms");
    assertEquals(3, monitor.dropped());
    assertEquals(1, StandardError.matches(log, "RemoteMonitor dropped 3 pending send\\(s\\) to"
        + " http://127\\.0\\.0\\.1:\\d+/publish/epoch/end/: not finished within the 300 ms"
        + " flushTimeout"), log);
    assertEquals(1, StandardError.count(log, "WARN"), log);
    assertSenderThreadEnds();
  }

  @Test
  void theDefaultFlushWaitsAboutTwoSeconds() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer()).build();
    epochEnds(monitor, 1);
    long millis = millisOf(() -> monitor.onTrainEnd(new Logs()));
    assertTrue(millis >= 1900 && millis < 4000, "train end took " + millis + " ms");
    assertEquals(1, monitor.dropped());
  }

  /**
   * The sending thread is a daemon: a program whose fit failed before onTrainEnd, the one hook
   * that stops it, still exits when its main thread ends.
   */
  @Test
  void theSendingThreadDoesNotKeepTheJvmAlive() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ZERO).build();
    epochEnds(monitor, 1);
    List<Thread> senders = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(SENDER_THREAD) && t.isAlive()).toList();
    assertFalse(senders.isEmpty(), "a sending thread while a send is pending");
    assertTrue(senders.stream().allMatch(Thread::isDaemon), "daemon threads: " + senders);
    monitor.onTrainEnd(new Logs());
    assertSenderThreadEnds();
  }

  @Test
  void aZeroFlushTimeoutDropsAtOnce() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ZERO).build();
    epochEnds(monitor, 2);
    long millis = millisOf(() -> monitor.onTrainEnd(new Logs()));
    assertTrue(millis < 500, "train end took " + millis + " ms");
    assertEquals(2, monitor.dropped());
  }

  @Test
  void aFastServerGetsEverySendAndNoWarning() throws Exception {
    slow = false;
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer()).build();
    epochEnds(monitor, 4);
    String log = StandardError.of(() -> monitor.onTrainEnd(new Logs()));
    assertEquals(4, monitor.delivered());
    assertEquals(0, monitor.dropped());
    assertEquals("", log);
  }

  @Test
  void fitWithASlowServerEndsWithinTheFlushTimeout() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ofMillis(200)).build();
    Sequential model = Models.digits(1);
    long millis = millisOf(() -> model.fit(DIGITS.x, DIGITS.y,
        FitOptions.builder().epochs(3).verbose(0).callbacks(monitor).build()));
    assertTrue(millis < 5000, "fit took " + millis + " ms");
    assertEquals(3, monitor.dropped());
    assertSenderThreadEnds();
  }

  @Test
  void aFailedFitDropsPendingSendsWithoutWaitingAndKeepsItsException() throws Exception {
    // A flush this long would show: a failed fit must not wait for it.
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ofSeconds(15)).build();
    RuntimeException failure = new IllegalStateException("epoch 1 failed");
    LambdaCallback failsAtEpochOne = LambdaCallback.builder().onEpochEnd((epoch, logs) -> {
      if (epoch == 1) {
        throw failure;
      }
    }).build();
    long start = System.nanoTime();
    assertSame(failure, assertThrows(RuntimeException.class, () -> Models.digits(1).fit(DIGITS.x,
        DIGITS.y, FitOptions.builder().epochs(3).verbose(0).callbacks(monitor, failsAtEpochOne)
            .build())));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis < 10_000, "no flush on failure: fit took " + millis + " ms");
    assertEquals(2, monitor.dropped());
    assertSenderThreadEnds();
  }

  @Test
  void aMonitorThatDroppedSendsWorksInTheNextFit() throws Exception {
    // The second fit's sends must all finish within flushTimeout: at 100 ms one was dropped
    // once on a loaded machine.
    RemoteMonitor monitor = RemoteMonitor.builder().root(slowServer())
        .flushTimeout(Duration.ofSeconds(1)).build();
    Sequential model = Models.digits(1);
    FitOptions options = FitOptions.builder().epochs(2).verbose(0).callbacks(monitor).build();
    model.fit(DIGITS.x, DIGITS.y, options);
    assertEquals(2, monitor.dropped());
    slow = false;
    release.countDown();
    model.fit(DIGITS.x, DIGITS.y, options);
    assertEquals(2, monitor.delivered());
    assertEquals(2, monitor.dropped());
  }

  @Test
  void aServerThatAcceptsButNeverAnswers() throws Exception {
    // The kernel completes the connection into the backlog; nobody ever reads or answers.
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    RemoteMonitor monitor = RemoteMonitor.builder().root("http://127.0.0.1:" + silent.getLocalPort())
        .flushTimeout(Duration.ofMillis(300)).build();
    epochEnds(monitor, 2);
    long millis = millisOf(() -> monitor.onTrainEnd(new Logs()));
    assertTrue(millis < 2000, "train end took " + millis + " ms");
    assertEquals(2, monitor.dropped());
    assertEquals(0, monitor.delivered());
    assertSenderThreadEnds();
  }

  @Test
  void aDeadServerFailsFastAndDropsNothing() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort(); // closed again: connections are refused
    }
    RemoteMonitor monitor = RemoteMonitor.builder().root("http://127.0.0.1:" + port).build();
    epochEnds(monitor, 3);
    long millis = millisOf(() -> monitor.onTrainEnd(new Logs()));
    assertTrue(millis < 1900, "train end took " + millis + " ms");
    assertEquals(3, monitor.failures());
    assertEquals(0, monitor.dropped());
  }
}
