package io.lvs.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AgentLogConfiguratorTest {

  @Test
  void configuresOneLogfmtLinePerEventWithoutXml() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding gives the real context
    String out = captured(() -> { // the console appender takes System.out when it starts
      assertThat(new AgentLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
      Logger log = context.getLogger("io.lvs.agent.runtime.SyncLoop");
      log.atInfo().addKeyValue("services", 3).log("synced \"vs\"");
      log.debug("not at INFO");
      context.getLogger("io.fabric8.kubernetes.client.Watch").info("fabric8 below WARN");
      context.getLogger("io.fabric8.kubernetes.client.Watch").warn("fabric8 warns");
    });

    String[] lines = out.split("\n");
    assertThat(lines).as(context.getStatusManager().getCopyOfStatusList().toString()).hasSize(2);
    assertThat(lines[0]).matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO logger=SyncLoop"
        + " thread=\\S+ msg=\"synced \\\\\"vs\\\\\"\" services=\"3\"");
    assertThat(lines[1]).contains("level=WARN logger=Watch").contains("msg=\"fabric8 warns\"");
    assertThat(context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
  }

  @Test
  void stepsAsideForAnExplicitConfigurationFile() {
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "elsewhere.xml");
    try {
      LoggerContext context = new LoggerContext();
      assertThat(new AgentLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.NEUTRAL);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }

  @Test
  void isTheConfigurationTheAgentsLoggersGet() {
    // found through ServiceLoader by the logback on this class path (no logback.xml here)
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger("io.fabric8").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNotNull();
  }

  private static String captured(Runnable logging) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setOut(stdout);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
