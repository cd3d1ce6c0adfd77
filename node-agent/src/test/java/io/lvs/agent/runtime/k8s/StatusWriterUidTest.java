package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The status write reads only metadata.uid from the object the API server answers with. */
class StatusWriterUidTest {
  static String uid(String json) throws IOException {
    return StatusWriter.uidOf(new JsonFactory(), new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theUidIsFoundPastTheFieldsAroundItAndNestedUidsElsewhereAreNotTakenForIt() throws IOException {
    assertThat(uid("{\"apiVersion\":\"lvs.io/v1alpha1\",\"spec\":{\"uid\":\"not-this\",\"services\":[{\"uid\":\"nor-this\"}]},"
        + "\"metadata\":{\"name\":\"n\",\"labels\":{\"uid\":\"no\"},\"managedFields\":[{\"uid\":\"no\"}],\"uid\":\"u-1\"},"
        + "\"status\":{\"x\":1}}")).isEqualTo("u-1");
  }

  @Test
  void noUidOrNoObjectIsNull() throws IOException {
    assertThat(uid("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"uid\":\"x\"}}")).isNull();
    assertThat(uid("[]")).isNull();
    assertThat(uid("{\"kind\":\"Status\",\"code\":409}")).isNull();
  }
}
