package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.callbacks4j.callbacks.BackupAndRestore;
import io.github.callbacks4j.callbacks.CSVLogger;
import io.github.callbacks4j.callbacks.EarlyStopping;
import io.github.callbacks4j.callbacks.ModelCheckpoint;
import io.github.callbacks4j.callbacks.ReduceLROnPlateau;
import io.github.callbacks4j.callbacks.RemoteMonitor;
import io.github.callbacks4j.callbacks.TensorBoard;
import io.github.callbacks4j.callbacks.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Builders reject what cannot work, at once: each case is an IllegalArgumentException whose
 * message is asserted whole, so it is seen to name the option, the value and what is allowed.
 */
class BuilderMisuseTest {
  private static DynamicTest rejects(String name, String message, Executable build) {
    return DynamicTest.dynamicTest(name, () ->
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage()));
  }

  @TestFactory
  Stream<DynamicTest> monitoredCallbacks() {
    return Stream.of(
        rejects("EarlyStopping baseline NaN", "baseline must be a finite number, got NaN",
            () -> EarlyStopping.builder().baseline(Double.NaN)),
        rejects("EarlyStopping baseline +Inf", "baseline must be a finite number, got Infinity",
            () -> EarlyStopping.builder().baseline(Double.POSITIVE_INFINITY)),
        rejects("EarlyStopping minDelta NaN", "minDelta must be a finite number, got NaN",
            () -> EarlyStopping.builder().minDelta(Double.NaN)),
        rejects("EarlyStopping minDelta -Inf", "minDelta must be a finite number, got -Infinity",
            () -> EarlyStopping.builder().minDelta(Double.NEGATIVE_INFINITY)),
        rejects("EarlyStopping stoppingThreshold NaN",
            "stoppingThreshold must be a finite number, got NaN",
            () -> EarlyStopping.builder().stoppingThreshold(Double.NaN)),
        rejects("EarlyStopping divergenceThreshold +Inf",
            "divergenceThreshold must be a finite number, got Infinity",
            () -> EarlyStopping.builder().divergenceThreshold(Double.POSITIVE_INFINITY)),
        rejects("EarlyStopping empty monitor",
            "monitor must not be blank, got ''; give a name such as \"val_loss\"",
            () -> EarlyStopping.builder().monitor("")),
        rejects("EarlyStopping blank monitor",
            "monitor must not be blank, got ' \t'; give a name such as \"val_loss\"",
            () -> EarlyStopping.builder().monitor(" \t")),
        rejects("EarlyStopping negative patience", "patience must be >= 0, got -1",
            () -> EarlyStopping.builder().patience(-1)),
        rejects("ReduceLROnPlateau minLr +Inf", "minLr must be a finite number >= 0, got Infinity",
            () -> ReduceLROnPlateau.builder().minLr(Double.POSITIVE_INFINITY)),
        rejects("ReduceLROnPlateau minLr NaN", "minLr must be a finite number >= 0, got NaN",
            () -> ReduceLROnPlateau.builder().minLr(Double.NaN)),
        rejects("ReduceLROnPlateau factor NaN", "factor must be a finite number, got NaN",
            () -> ReduceLROnPlateau.builder().factor(Double.NaN)),
        rejects("ReduceLROnPlateau factor -Inf", "factor must be a finite number, got -Infinity",
            () -> ReduceLROnPlateau.builder().factor(Double.NEGATIVE_INFINITY)),
        rejects("ReduceLROnPlateau blank monitor",
            "monitor must not be blank, got ' '; give a name such as \"val_loss\"",
            () -> ReduceLROnPlateau.builder().monitor(" ")),
        rejects("ReduceLROnPlateau minDelta +Inf", "minDelta must be a finite number, got Infinity",
            () -> ReduceLROnPlateau.builder().minDelta(Double.POSITIVE_INFINITY)),
        rejects("ModelCheckpoint initialValueThreshold NaN",
            "initialValueThreshold must be a finite number, got NaN",
            () -> ModelCheckpoint.builder("m.c4j").initialValueThreshold(Double.NaN)),
        rejects("ModelCheckpoint blank monitor",
            "monitor must not be blank, got ''; give a name such as \"val_loss\"",
            () -> ModelCheckpoint.builder("m.c4j").monitor("")));
  }

  @TestFactory
  Stream<DynamicTest> checkpointTemplates() {
    return Stream.of(
        rejects("empty template",
            "filepathTemplate must not be blank, got ''; give a name such as \"ckpt-{epoch:02d}.c4j\"",
            () -> ModelCheckpoint.builder("")),
        rejects("blank template",
            "filepathTemplate must not be blank, got '  '; give a name such as"
                + " \"ckpt-{epoch:02d}.c4j\"",
            () -> ModelCheckpoint.builder("  ")),
        rejects("template naming a directory",
            "filepathTemplate must name a file, got the directory 'ckpt/'; add a file name such as"
                + " ckpt/ckpt-{epoch:02d}.c4j",
            () -> ModelCheckpoint.builder("ckpt/")),
        rejects("unknown format code",
            "filepathTemplate: unknown format code 'x' in 'ckpt-{epoch:x}.c4j'; supported:"
                + " d f F e E g G % s",
            () -> ModelCheckpoint.builder("ckpt-{epoch:x}.c4j")),
        rejects("integer code on a float",
            "filepathTemplate: format code 'd' in {val_loss:d} needs an integer, but val_loss is a"
                + " float: use {val_loss:.0f}",
            () -> ModelCheckpoint.builder("ckpt-{val_loss:d}.c4j")),
        rejects("unclosed brace",
            "filepathTemplate: unclosed '{' at position 5 in 'ckpt-{epoch.c4j'",
            () -> ModelCheckpoint.builder("ckpt-{epoch.c4j")),
        rejects("precision without digits",
            "filepathTemplate: format spec '.f' in 'ckpt-{val_loss:.f}.c4j' has a '.' without a"
                + " precision",
            () -> ModelCheckpoint.builder("ckpt-{val_loss:.f}.c4j")),
        rejects("trailing garbage in a spec",
            "filepathTemplate: invalid format spec '.2fx' in 'ckpt-{val_loss:.2fx}.c4j'",
            () -> ModelCheckpoint.builder("ckpt-{val_loss:.2fx}.c4j")),
        rejects("{batch} in an epoch-level template",
            "ModelCheckpoint file path 'ckpt-{batch}.c4j' uses {batch}, which exists only for"
                + " batch-level saves: set saveFreq(batches)",
            () -> ModelCheckpoint.builder("ckpt-{batch}.c4j").build()),
        rejects("saveFreq 0",
            "saveFreq must be >= 1 batches, got 0; leave it unset to save at every epoch end",
            () -> ModelCheckpoint.builder("m.c4j").saveFreq(0)));
  }

  @TestFactory
  Stream<DynamicTest> fileCallbackPaths() {
    return Stream.of(
        rejects("CSVLogger empty path",
            "file must not be an empty or blank path, got ''; give a path such as"
                + " Path.of(\"training.csv\")",
            () -> CSVLogger.builder(Path.of(""))),
        rejects("CSVLogger blank path",
            "file must not be an empty or blank path, got ' '; give a path such as"
                + " Path.of(\"training.csv\")",
            () -> CSVLogger.builder(Path.of(" "))),
        rejects("CSVLogger empty separator", "separator must not be empty",
            () -> CSVLogger.builder(Path.of("log.csv")).separator("")),
        rejects("TensorBoard empty logDir",
            "logDir must not be an empty or blank path, got ''; give a path such as"
                + " Path.of(\"logs\")",
            () -> TensorBoard.builder(Path.of(""))),
        rejects("TensorBoard unknown updateFreq",
            "updateFreq must be \"epoch\", \"batch\" or a number of batches, got \"often\"",
            () -> TensorBoard.builder(Path.of("logs")).updateFreq("often")),
        rejects("BackupAndRestore empty backupDir",
            "backupDir must not be an empty or blank path, got ''; give a path such as"
                + " Path.of(\"backup\")",
            () -> BackupAndRestore.builder(Path.of(""))),
        rejects("BackupAndRestore saveFreq 0",
            "saveFreq must be >= 1 batches, got 0; leave it unset to back up at every epoch end",
            () -> BackupAndRestore.builder(Path.of("backup")).saveFreq(0)));
  }

  private static final String ROOT_RULE =
      "root must be an http or https URL with a host and no query, such as http://localhost:9000,"
          + " got ";

  @TestFactory
  Stream<DynamicTest> remoteMonitor() {
    return Stream.of(
        rejects("root without a scheme", ROOT_RULE + "'localhost:9000'",
            () -> RemoteMonitor.builder().root("localhost:9000")),
        rejects("ftp root", ROOT_RULE + "'ftp://example.org'",
            () -> RemoteMonitor.builder().root("ftp://example.org")),
        rejects("file root", ROOT_RULE + "'file:///tmp/metrics'",
            () -> RemoteMonitor.builder().root("file:///tmp/metrics")),
        rejects("root without a host", ROOT_RULE + "'http://'",
            () -> RemoteMonitor.builder().root("http://")),
        rejects("root with a query", ROOT_RULE + "'http://localhost:9000?token=1'",
            () -> RemoteMonitor.builder().root("http://localhost:9000?token=1")),
        rejects("path without a leading slash",
            "path must be empty or start with '/', got 'publish'; for example /publish/epoch/end/",
            () -> RemoteMonitor.builder().path("publish")),
        rejects("blank field",
            "field must not be blank, got ' '; give a name such as \"data\"",
            () -> RemoteMonitor.builder().field(" ")),
        rejects("zero timeout", "timeout must be positive, got PT0S",
            () -> RemoteMonitor.builder().timeout(Duration.ZERO)),
        rejects("negative flushTimeout", "flushTimeout must be zero or positive, got PT-1S",
            () -> RemoteMonitor.builder().flushTimeout(Duration.ofSeconds(-1))),
        DynamicTest.dynamicTest("restricted header, its secret value never shown", () -> {
          String message = assertThrows(IllegalArgumentException.class, () -> RemoteMonitor
              .builder().headers(Map.of("Host", "secret-token-42"))).getMessage();
          assertEquals("headers: 'Host' is not a valid header name, its value is not a valid"
              + " header value, or it is one the HTTP client sets itself (such as Host,"
              + " Content-Length or Connection)", message);
          assertFalse(message.contains("secret-token-42"));
        }),
        rejects("header value with a line break",
            "headers: 'Authorization' is not a valid header name, its value is not a valid header"
                + " value, or it is one the HTTP client sets itself (such as Host, Content-Length"
                + " or Connection)",
            () -> RemoteMonitor.builder().headers(Map.of("Authorization", "a\r\nInjected: 1"))));
  }

  @TestFactory
  Stream<DynamicTest> fitAndOtherOptions() {
    return Stream.of(
        rejects("initialEpoch equal to epochs",
            "initialEpoch must be below epochs, got initialEpoch 3 and epochs 3: epochs is the"
                + " epoch to stop before, so nothing would train; set epochs to at least 4",
            () -> FitOptions.builder().epochs(3).initialEpoch(3).build()),
        rejects("initialEpoch above epochs",
            "initialEpoch must be below epochs, got initialEpoch 5 and epochs 2: epochs is the"
                + " epoch to stop before, so nothing would train; set epochs to at least 6",
            () -> FitOptions.builder().epochs(2).initialEpoch(5).build()),
        rejects("zero epochs",
            "initialEpoch must be below epochs, got initialEpoch 0 and epochs 0: epochs is the"
                + " epoch to stop before, so nothing would train; set epochs to at least 1",
            () -> FitOptions.builder().epochs(0).build()),
        rejects("negative initialEpoch", "initialEpoch must be >= 0, got -1",
            () -> FitOptions.builder().initialEpoch(-1)),
        rejects("Timer zero budget", "the time budget must be positive, got PT0S",
            () -> Timer.builder(Duration.ZERO)));
  }
}
