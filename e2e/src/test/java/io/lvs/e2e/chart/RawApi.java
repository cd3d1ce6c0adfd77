package io.lvs.e2e.chart;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP request through a client's own HTTP stack (so impersonation headers are sent), with
 * the status code as the answer. The typed DSL sometimes GETs before it writes, which would hide
 * the authorization result of the write itself.
 */
public record RawApi(KubernetesClient client) {

  public int call(String method, String path, String body) {
    String base = client.getConfiguration().getMasterUrl().replaceAll("/$", "");
    HttpRequest.Builder b = client.getHttpClient().newHttpRequestBuilder().uri(base + path);
    HttpRequest request = switch (method) {
      case "GET" -> b.build();
      case "DELETE" -> b.delete("application/json", body == null ? "{}" : body).build();
      case "POST" -> b.post("application/json", body).build();
      case "PUT" -> b.put("application/json", body).build();
      case "PATCH" -> b.patch("application/merge-patch+json", body).build();
      default -> throw new IllegalArgumentException(method);
    };
    try {
      HttpResponse<String> r = client.getHttpClient().sendAsync(request, String.class).get(20, TimeUnit.SECONDS);
      return r.code();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " " + path, e);
    }
  }
}
