package dev.exchangemaildaemon.ews.messages;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.exchangemaildaemon.ews.soap.Namespaces;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlSeeAlso;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

/** The outcome for one item or folder of a request. */
@XmlType(name = "ResponseMessageType", propOrder = { "messageText", "responseCode", "messageXml" })
@XmlSeeAlso({ FolderInfoResponseMessageType.class, FindFolderResponseMessageType.class,
        FindItemResponseMessageType.class })
public class ResponseMessageType {

    @XmlElement(name = "MessageText")
    private String messageText;

    @XmlElement(name = "ResponseCode")
    private String responseCode;

    @XmlElement(name = "MessageXml")
    private MessageXml messageXml;

    @XmlAttribute(name = "ResponseClass", required = true)
    private String responseClass;

    ResponseMessageType() {
    }

    /** False for Error, and for Warning too: a warned item was not processed (ErrorBatchProcessingStopped). */
    public boolean succeeded() {
        return "Success".equals(responseClass);
    }

    public String responseCode() {
        return responseCode == null ? "ResponseClass " + responseClass : responseCode;
    }

    public String messageText() {
        return messageText == null ? "" : messageText;
    }

    /** How long a throttled client must wait, from {@code <t:Value Name="BackOffMilliseconds">}. */
    public Optional<Duration> backOff() {
        if (messageXml == null || messageXml.values == null) {
            return Optional.empty();
        }
        return messageXml.values.stream()
                .filter(value -> "BackOffMilliseconds".equals(value.name) && value.text != null)
                .map(value -> value.text.trim())
                .filter(text -> text.matches("[0-9]{1,18}"))
                .map(text -> Duration.ofMillis(Long.parseLong(text)))
                .findFirst();
    }

    @XmlType(name = "MessageXml")
    static class MessageXml {

        @XmlElement(name = "Value", namespace = Namespaces.TYPES)
        private List<Value> values;
    }

    @XmlType(name = "MessageXmlValue", namespace = Namespaces.TYPES)
    static class Value {

        @XmlAttribute(name = "Name")
        private String name;

        @XmlValue
        private String text;
    }
}
