package io.lvs.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The agent's logging, set up in code: one logfmt line per event on stdout (key=value, parsed by
 * Loki's and Elastic's logfmt parsers). In code rather than a logback.xml because reading XML
 * loads logback's configuration framework and the JDK's XML parser, some 380 classes the agent
 * keeps in metaspace for its whole life to read a dozen lines once. A {@code logback.xml} or
 * {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile}, still wins:
 * this configurator then steps aside.
 */
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN = "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} level=%level logger=%logger{0}"
      + " thread=%thread msg=\"%replace(%msg){'\"','\\\\\"'}\" %kvp{DOUBLE}%n%ex";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null || onClassPath("logback-test.xml")
        || onClassPath("logback.xml")) {
      return ExecutionStatus.NEUTRAL;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder);
    stdout.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stdout);
    context.getLogger("io.fabric8").setLevel(Level.WARN);
    // lvs.io/v1alpha1 is this project's own API: fabric8's "unstable version" warning about it says nothing
    context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean onClassPath(String resource) {
    ClassLoader loader = AgentLogConfigurator.class.getClassLoader();
    return loader != null && loader.getResource(resource) != null;
  }
}
