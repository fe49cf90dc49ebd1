package dev.exchangemaildaemon.ews.messages;

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

    /**
     * {@code Success}, {@code Warning} or {@code Error}. This type only holds what the response said: the EWS client
     * reads its meaning (code, back-off) in one place, with the streamed response messages and the SOAP faults.
     */
    public String responseClass() {
        return responseClass;
    }

    /** The ResponseCode element, null if absent. */
    public String responseCode() {
        return responseCode;
    }

    /** The MessageText element, null if absent. */
    public String messageText() {
        return messageText;
    }

    /** The text of {@code MessageXml/Value} with that {@code Name}, if there is one. */
    public Optional<String> messageXmlValue(String name) {
        if (messageXml == null || messageXml.values == null) {
            return Optional.empty();
        }
        return messageXml.values.stream().filter(value -> name.equals(value.name) && value.text != null)
                .map(value -> value.text).findFirst();
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
