package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives every scenario the one shared {@link Lab} (built on first use, closed when the run ends),
 * times each scenario and records its outcome; at the end prints the scenario table and writes it
 * to target/e2e-results.md.
 */
public final class LabExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

  /** The root store's value: the lab, or why it could not start; closing it ends the run. */
  static final class Shared implements AutoCloseable {
    private Lab lab;
    private RuntimeException startFailure;
    private final ResultBook fallbackResults = new ResultBook();

    synchronized Lab lab() {
      if (lab == null && startFailure == null) {
        Path module = Path.of(System.getProperty("user.dir"));
        Path binaries = Path.of(System.getProperty("lvs.e2e.kubeBinaries",
            System.getProperty("user.home") + "/.kubeapitest/k8s/1.20.2-linux-amd64"));
        Instant start = Instant.now();
        try {
          lab = Lab.start(module, binaries, line -> System.out.println(line));
        } catch (RuntimeException e) {
          startFailure = e;
          // no scenario runs without the lab: the table says why
          fallbackResults.record("kernel lab start", ResultBook.Outcome.FAILED, Duration.between(start, Instant.now()),
              e.getMessage());
        }
      }
      if (startFailure != null) {
        throw new IllegalStateException("the kernel lab did not start: " + startFailure.getMessage(), startFailure);
      }
      return lab;
    }

    synchronized ResultBook results() {
      return lab != null ? lab.results() : fallbackResults;
    }

    @Override
    public synchronized void close() {
      ResultBook book = results();
      String table = book.table();
      System.out.println("\n==== e2e scenarios (kernel lab) ====\n" + table);
      try {
        writeResults();
      } finally {
        if (lab != null) {
          lab.close();
        }
      }
    }

    /** target/e2e-results.md, rewritten after every scenario: a run cut short still leaves its evidence. */
    synchronized void writeResults() {
      try {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("e2e-results.md"), results().markdown("e2e scenarios on the kernel lab"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static Shared shared(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context).lab();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("start", Instant.now());
    shared(context).lab().say("scenario: " + context.getDisplayName());
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return shared(e).lab();
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, ResultBook.Outcome.PASSED, null);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, ResultBook.Outcome.FAILED, String.valueOf(cause.getMessage()));
  }

  private static void record(ExtensionContext context, ResultBook.Outcome outcome, String failure) {
    Instant start = Optional.ofNullable(context.getStore(NS).get("start", Instant.class)).orElse(Instant.now());
    shared(context).results().record(context.getDisplayName(), outcome, Duration.between(start, Instant.now()), failure);
    shared(context).writeResults();
    System.out.println("lab: " + outcome + " after " + ResultBook.seconds(Duration.between(start, Instant.now())) + ": "
        + context.getDisplayName() + (failure == null ? "" : " -- " + failure.lines().findFirst().orElse("")));
  }
}
