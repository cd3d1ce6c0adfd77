package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Members are the pods in the pool's namespace whose labels match; a pod counts once Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodMembers(
    @JsonPropertyDescription("Labels the pods must carry.") @Required @Size(min = 1)
        Map<String, String> matchLabels,
    @JsonPropertyDescription("Port the pods listen on.") @Required @Min(1) @Max(65535) Integer port) {}
