package io.github.callbacks4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.callbacks4j.Logs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on 127.0.0.1. */
class RemoteMonitorTest {
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private HttpServer server;

  private String start(boolean slow) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/publish/epoch/end/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      if (slow) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private static void run(RemoteMonitor monitor, Logs... epochs) {
    for (int epoch = 0; epoch < epochs.length; epoch++) {
      monitor.onEpochEnd(epoch, epochs[epoch]);
    }
    monitor.onTrainEnd(new Logs());
  }

  @Test
  void postsTheLogsAsAFormFieldByDefault() throws IOException {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(false)).build();
    run(monitor, Logs.of("loss", 0.5, "accuracy", 0.75), Logs.of("loss", 0.25, "accuracy", 0.875));
    assertEquals(2, monitor.delivered());
    assertEquals(List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        contentTypes);
    assertTrue(bodies.get(0).startsWith("data="), bodies.get(0));
    assertEquals("{\"epoch\": 0, \"accuracy\": 0.75, \"loss\": 0.5}",
        URLDecoder.decode(bodies.get(0).substring(5), StandardCharsets.UTF_8));
    assertEquals("{\"epoch\": 1, \"accuracy\": 0.875, \"loss\": 0.25}",
        URLDecoder.decode(bodies.get(1).substring(5), StandardCharsets.UTF_8));
  }

  @Test
  void sendsJsonWithHeadersAndAnotherField() throws IOException {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(false)).sendAsJson(true)
        .headers(Map.of("Authorization", "Bearer secret")).build();
    run(monitor, Logs.of("loss", Double.NaN));
    assertEquals(List.of("{\"epoch\": 0, \"loss\": NaN}"), bodies);
    assertEquals(List.of("application/json"), contentTypes);
    assertEquals(List.of("Bearer secret"), tokens);
  }

  @Test
  void aDeadServerCountsFailuresAndTrainingGoesOn() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    RemoteMonitor monitor = RemoteMonitor.builder().root("http://127.0.0.1:" + port)
        .timeout(Duration.ofSeconds(2)).build();
    run(monitor, Logs.of("loss", 1), Logs.of("loss", 2), Logs.of("loss", 3));
    assertEquals(3, monitor.failures());
    assertEquals(0, monitor.delivered());
  }

  @Test
  void aSlowServerNeverBlocksTheEpochEnd() throws Exception {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(true))
        .timeout(Duration.ofMillis(300)).build();
    // The server holds every request until released; epoch ends return all the same.
    monitor.onEpochEnd(0, Logs.of("loss", 1));
    monitor.onEpochEnd(1, Logs.of("loss", 2));
    assertEquals(0, monitor.delivered());
    monitor.onTrainEnd(new Logs()); // waits at most flushTimeout (2 s)
    // Both requests time out on the client side while the server still holds them.
    for (int i = 0; i < 100 && monitor.failures() < 2; i++) {
      Thread.sleep(50);
    }
    release.countDown();
    assertEquals(2, monitor.failures());
    assertEquals(0, monitor.delivered());
  }

  @Test
  void aBadUrlIsRejectedByTheBuilder() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> RemoteMonitor.builder().root("localhost:9000"));
    assertEquals("root must be an http or https URL with a host and no query, such as"
        + " http://localhost:9000, got 'localhost:9000'", e.getMessage());
  }

  /** Python's json.dumps, as Keras sends: escaped keys, non-ASCII as \\u, NaN and Infinity bare. */
  @Test
  void jsonEscapesKeysAndWritesNonFiniteValuesAsPythonDoes() throws IOException {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(false)).sendAsJson(true).build();
    run(monitor, new Logs().put("a\"b\\c", Double.NaN).put("line\nbreak\r\ttab",
        Double.POSITIVE_INFINITY).put("ctl\u0001~ \u00e9", Double.NEGATIVE_INFINITY).put("x", 0.5));
    assertEquals(List.of("{\"epoch\": 0, \"a\\\"b\\\\c\": NaN, \"ctl\\u0001~ \\u00e9\": -Infinity,"
        + " \"line\\nbreak\\r\\ttab\": Infinity, \"x\": 0.5}"), bodies);
  }

  @Test
  void rootsThatAreNotAPlainHttpUrlAreRejected() {
    for (String root : List.of("ftp://example.org", "http://example.org/?q=1",
        "http://example.org/#top", "http:///path", "not a url")) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> RemoteMonitor.builder().root(root), root);
    }
    RemoteMonitor.builder().root("HTTPS://example.org:8443/base").build();
  }

  /**
   * An HTTP error status (400 and above) is a failure, not a delivery: the first is a warning,
   * later ones are at debug level, so a broken endpoint does not flood the log.
   */
  @Test
  void anErrorStatusIsAFailureWarnedOfOnce() throws IOException {
    status = 400;
    String root = start(false);
    RemoteMonitor monitor = RemoteMonitor.builder().root(root).path("/publish/epoch/end/")
        .field("metrics").build();
    String log = StandardError.of(() -> run(monitor, Logs.of("loss", 1), Logs.of("loss", 2)));
    assertEquals(2, monitor.failures());
    assertEquals(0, monitor.delivered());
    assertTrue(bodies.get(0).startsWith("metrics="), bodies.get(0));
    assertEquals(1, StandardError.count(log, "WARN " + RemoteMonitor.class.getName()
        + " - RemoteMonitor could not reach " + root + "/publish/epoch/end/ (HTTP 400); training"
        + " goes on, and further failures are logged at debug level"), log);
  }

  @Test
  void aHeaderWithoutAValueIsNamed() {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("X-Token", null);
    NullPointerException e = org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> RemoteMonitor.builder().headers(headers));
    assertEquals("value of header X-Token", e.getMessage());
  }

  /** Interrupted while it waits at train end, it drops what is pending and keeps the interrupt. */
  @Test
  void anInterruptedTrainEndDropsThePendingSendAndStaysInterrupted() throws IOException {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(true)).build();
    monitor.onEpochEnd(0, Logs.of("loss", 1));
    Thread.currentThread().interrupt();
    boolean interrupted;
    try {
      monitor.onTrainEnd(new Logs());
    } finally {
      interrupted = Thread.interrupted(); // clears it for the next test
    }
    assertTrue(interrupted, "the caller's interrupt is kept");
    assertEquals(1, monitor.dropped());
  }

  /** fit closes the monitor however it ends: a train end after a close has nothing to wait for. */
  @Test
  void aTrainEndAfterCloseFindsNothingPending() throws IOException {
    RemoteMonitor monitor = RemoteMonitor.builder().root(start(true)).build();
    monitor.onEpochEnd(0, Logs.of("loss", 1));
    monitor.close();
    assertEquals(1, monitor.dropped());
    monitor.onTrainEnd(new Logs());
    monitor.close();
    assertEquals(1, monitor.dropped());
    assertEquals(0, monitor.delivered());
  }
}
