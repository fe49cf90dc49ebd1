package dev.exchangemaildaemon.graph;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON Microsoft Graph speaks, as far as the daemon reads and writes it; registered with its records. */
@RegisterForReflection
final class GraphJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private GraphJson() {
    }

    /** {@code {"error": {"code", "message"}}}, Graph's answer to any failed request. */
    record ErrorResponse(ErrorDetail error) {
    }

    record ErrorDetail(String code, String message) {
    }

    /** One page of a message list; {@code @odata.nextLink} is absent on the last. */
    record MessagePage(List<Message> value, @JsonProperty("@odata.nextLink") String nextLink) {
    }

    record Message(String id, String internetMessageId, String receivedDateTime,
                   List<ExtendedProperty> singleValueExtendedProperties) {
    }

    record ExtendedProperty(String id, String value) {
    }

    record FolderPage(List<Folder> value) {
    }

    record Folder(String id, String displayName) {
    }

    record NewFolder(String displayName) {
    }

    record ReadFlag(boolean isRead) {
    }

    record Move(String destinationId) {
    }

    record SendMail(OutgoingMail message, boolean saveToSentItems) {
    }

    record OutgoingMail(String subject, Body body, List<Recipient> toRecipients, Recipient from) {
    }

    record Body(String contentType, String content) {
    }

    record Recipient(EmailAddress emailAddress) {
        static Recipient of(String address) {
            return new Recipient(new EmailAddress(address));
        }
    }

    record EmailAddress(String address) {
    }

    record BatchRequest(List<BatchItem> requests) {
    }

    record BatchItem(String id, String method, String url, Map<String, String> headers, Object body) {
    }

    record BatchResponse(List<BatchResult> responses) {
    }

    record BatchResult(String id, int status, Map<String, String> headers, JsonNode body) {
    }
}
